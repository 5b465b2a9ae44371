package org.cfq.recourse;

import java.util.Arrays;
import java.util.Objects;
import org.cfq.data.Actionability;
import org.cfq.data.ConsistencyRule;
import org.cfq.data.FeatureKind;
import org.cfq.data.FeatureSchema;
import org.cfq.data.FeatureSpec;
import org.cfq.data.NaturalDomain;
import org.cfq.data.Range;
import org.cfq.data.Table;
import org.cfq.data.encode.Encoder;
import org.cfq.data.encode.ModelSpaceLayout;

/**
 * The actions recourse may take, in model space, read from an {@link Encoder}: per feature its
 * kind, actionability (immutable, free, increase-only, decrease-only relative to the factual),
 * its columns (one-hot groups explicit), its box in model space, its integer or level grid,
 * and the per-column L1 cost weights.
 *
 * <p>Cost weights: 1 per numeric, ordinal and binary column (the encoder standardizes, so
 * this is 1/std in original units), 0.5 per one-hot column so that a categorical change
 * (two columns move by 1) costs 1. With MAD weights (built from training rows), numeric and
 * ordinal columns weigh {@code scale / MAD} (1/MAD in original units; features whose MAD is
 * 0 fall back to 1/std, as in Wachter et al.).
 *
 * <p>Natural domain (issue #11): when the schema states one ({@link NaturalDomain}), a numeric
 * feature's box is the encoder's box intersected with its natural range and snapped inward
 * to its step ({@link #boxLo}, {@link #boxHi}, {@link #step}); a level feature's allowed
 * moves exclude levels never advised and forbidden transitions ({@link #allowed}); the
 * schema's consistency rules are compiled to level masks ({@link #rules()}).
 *
 * <p>Instances are immutable.
 */
public final class ActionSpace {
    /** Model-space changes smaller than this (in standardized units) are snapped back to the factual. */
    public static final float SNAP = 1e-3f;

    private final Encoder encoder;
    private final int width;
    private final FeatureKind[] kind;
    private final Actionability[] action;
    private final int[] start;
    private final int[] span;
    private final double[] boxLo;
    private final double[] boxHi;
    private final float[] l1Weight;
    private final float[] madWeight;
    private final double[] step;
    private final boolean[][] allowed;
    private final int[] levelCount;
    private final Rule[] rules;
    private final boolean natural;

    /**
     * A consistency rule over feature indices: when feature {@code ifFeature} is on a level with
     * {@code ifMask[level]}, feature {@code thenFeature} must be on a level with {@code thenMask}.
     */
    public record Rule(int ifFeature, boolean[] ifMask, int thenFeature, boolean[] thenMask) {
        /** {@return true when the pair of levels satisfies the rule} */
        public boolean holds(int ifLevel, int thenLevel) {
            return !ifMask[ifLevel] || thenMask[thenLevel];
        }
    }

    private ActionSpace(Encoder encoder, float[] madWeight) {
        this.encoder = Objects.requireNonNull(encoder, "encoder");
        FeatureSchema schema = encoder.schema();
        ModelSpaceLayout layout = encoder.layout();
        int n = schema.size();
        width = encoder.width();
        kind = new FeatureKind[n];
        action = new Actionability[n];
        start = new int[n];
        span = new int[n];
        boxLo = new double[n];
        boxHi = new double[n];
        l1Weight = new float[width];
        for (int i = 0; i < n; i++) {
            kind[i] = schema.feature(i).kind();
            action[i] = schema.feature(i).actionability();
            start[i] = layout.slot(i).start();
            span[i] = layout.slot(i).width();
            Range box = encoder.box(i);
            boxLo[i] = box.min();
            boxHi[i] = box.max();
            float w = kind[i] == FeatureKind.CATEGORICAL ? 0.5f : 1f;
            Arrays.fill(l1Weight, start[i], start[i] + span[i], w);
        }
        this.madWeight = madWeight;
        step = new double[n];
        allowed = new boolean[n][];
        levelCount = new int[n];
        for (int i = 0; i < n; i++) {
            levelCount[i] = schema.feature(i).levels().size();
        }
        natural = schema.hasNaturalDomain();
        for (int i = 0; i < n; i++) {
            FeatureSpec f = schema.feature(i);
            NaturalDomain d = f.natural();
            if (d == null) {
                continue;
            }
            if (d.isNumeric()) {
                step[i] = f.step();
                double lo = Math.max(boxLo[i], d.min());
                double hi = Math.min(boxHi[i], d.max());
                if (lo > hi) { // a box entirely outside the natural range: the natural end nearest to it
                    lo = hi = boxHi[i] < d.min() ? d.min() : d.max();
                }
                if (step[i] > 0) {
                    double glo = Math.ceil(lo / step[i] - 1e-9) * step[i];
                    double ghi = Math.floor(hi / step[i] + 1e-9) * step[i];
                    if (glo <= ghi) {
                        lo = glo;
                        hi = ghi;
                    }
                }
                boxLo[i] = lo;
                boxHi[i] = hi;
            } else {
                int levels = f.levels().size();
                if (kind[i] == FeatureKind.ORDINAL) {
                    step[i] = 1;
                }
                boolean[] m = new boolean[levels * levels];
                for (int a = 0; a < levels; a++) {
                    for (int b = 0; b < levels; b++) {
                        m[a * levels + b] = d.allows(f.levels().get(a), f.levels().get(b));
                    }
                }
                allowed[i] = m;
            }
        }
        rules = new Rule[schema.rules().size()];
        for (int r = 0; r < rules.length; r++) {
            ConsistencyRule cr = schema.rules().get(r);
            int a = schema.indexOf(cr.ifFeature());
            int b = schema.indexOf(cr.thenFeature());
            rules[r] = new Rule(a, mask(schema.feature(a), cr.ifLevels()), b, mask(schema.feature(b), cr.thenLevels()));
        }
    }

    private static boolean[] mask(FeatureSpec f, java.util.Set<String> levels) {
        boolean[] m = new boolean[f.levels().size()];
        for (String l : levels) {
            m[f.levelIndex(l)] = true;
        }
        return m;
    }

    /** The action space of an encoder, with L1 (1/std) weights only. */
    public static ActionSpace of(Encoder encoder) {
        return new ActionSpace(encoder, null);
    }

    /**
     * The action space of an encoder, also carrying 1/MAD weights computed on training rows.
     *
     * @throws IllegalArgumentException when the table's schema does not match the encoder's
     */
    public static ActionSpace of(Encoder encoder, Table train) {
        encoder.encode(train.select(new int[0])); // schema check only
        int n = encoder.schema().size();
        float[] w = new float[encoder.width()];
        for (int i = 0; i < n; i++) {
            ModelSpaceLayout.Slot s = encoder.layout().slot(i);
            FeatureKind k = encoder.schema().feature(i).kind();
            float wi;
            if (k == FeatureKind.CATEGORICAL) {
                wi = 0.5f;
            } else if (k == FeatureKind.BINARY) {
                wi = 1f;
            } else {
                double mad = mad(train.column(i));
                wi = mad > 1e-12 ? (float) (encoder.scale(i) / mad) : 1f;
            }
            Arrays.fill(w, s.start(), s.end(), wi);
        }
        return new ActionSpace(encoder, w);
    }

    private static double mad(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        double med = median(c);
        for (int i = 0; i < c.length; i++) {
            c[i] = Math.abs(c[i] - med);
        }
        Arrays.sort(c);
        return median(c);
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        if (n == 0) {
            return 0;
        }
        return n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
    }

    public Encoder encoder() {
        return encoder;
    }

    /** Model-space width. */
    public int width() {
        return width;
    }

    /** Number of features. */
    public int features() {
        return kind.length;
    }

    public FeatureKind kind(int feature) {
        return kind[feature];
    }

    public Actionability actionability(int feature) {
        return action[feature];
    }

    /** First model-space column of a feature. */
    public int start(int feature) {
        return start[feature];
    }

    /** Number of model-space columns of a feature (level count for categorical, else 1). */
    public int span(int feature) {
        return span[feature];
    }

    /**
     * Lower end of the feature's box in original units (level index for level kinds): the
     * encoder's box, intersected with the natural range and snapped onto the step when the
     * schema states a natural domain.
     */
    public double boxLo(int feature) {
        return boxLo[feature];
    }

    /** Upper end of the feature's box in original units (level index for level kinds); see {@link #boxLo}. */
    public double boxHi(int feature) {
        return boxHi[feature];
    }

    /** {@return true when the schema states a natural domain for some feature or has consistency rules} */
    public boolean hasNaturalDomain() {
        return natural;
    }

    /**
     * The step of a changed value in original units under the natural domain (1 for ordinal
     * features and integer features with a natural domain), or 0 when the feature has no
     * natural step (then integer features keep the nearest-integer rounding of the paper).
     */
    public double step(int feature) {
        return step[feature];
    }

    /**
     * {@return true when a level feature may move from level {@code from} to level {@code to}
     * under the natural domain (staying is always allowed; true for every move without one)}
     */
    public boolean allowed(int feature, int from, int to) {
        boolean[] m = allowed[feature];
        if (m == null || from == to) {
            return true;
        }
        int levels = levelCount[feature];
        if (from < 0 || from >= levels || to < 0 || to >= levels) {
            return from == to;
        }
        return m[from * levels + to];
    }

    /** Number of levels of a level feature (0 for numeric kinds). */
    public int levels(int feature) {
        return levelCount[feature];
    }

    /**
     * The level index of a level feature in a model-space row: the hot column of a one-hot
     * group (its largest entry), the 0/1 value of a binary one, the nearest level of an ordinal one.
     */
    public int level(int feature, float[] row, int offset) {
        int s = offset + start[feature];
        switch (kind[feature]) {
            case CATEGORICAL -> {
                int best = 0;
                for (int k = 1; k < span[feature]; k++) {
                    if (row[s + k] > row[s + best]) {
                        best = k;
                    }
                }
                return best;
            }
            case BINARY -> {
                return row[s] >= 0.5f ? 1 : 0;
            }
            case ORDINAL -> {
                return (int) Math.max(0, Math.min(levelCount[feature] - 1, Math.rint(decode(feature, row[s]))));
            }
            default -> throw new IllegalArgumentException("feature " + feature + " is numeric, it has no level");
        }
    }

    /**
     * {@return true when level feature f may be advised level {@code to} from its factual level
     * {@code from}: its natural domain allows the move, and no consistency rule whose other
     * feature is immutable forbids it given that feature's level in the factual row {@code x}}
     */
    public boolean targetAllowed(int f, int from, int to, float[] x, int xo) {
        if (to == from) {
            return true;
        }
        if (!allowed(f, from, to)) {
            return false;
        }
        for (Rule r : rules) {
            if (r.ifFeature() == f && action[r.thenFeature()] == Actionability.IMMUTABLE
                    && !r.holds(to, level(r.thenFeature(), x, xo))) {
                return false;
            }
            if (r.thenFeature() == f && action[r.ifFeature()] == Actionability.IMMUTABLE
                    && !r.holds(level(r.ifFeature(), x, xo), to)) {
                return false;
            }
        }
        return true;
    }

    /** {@return the compiled consistency rules (shared, do not modify)} */
    public Rule[] rules() {
        return rules;
    }

    /** {@return true for integer and ordinal features: their original value lives on the integers} */
    public boolean onIntegerGrid(int feature) {
        return kind[feature] == FeatureKind.INTEGER || kind[feature] == FeatureKind.ORDINAL;
    }

    /** {@return true when the feature may change at all} */
    public boolean mutable(int feature) {
        return action[feature] != Actionability.IMMUTABLE;
    }

    /** {@return true when some feature may change} */
    public boolean anyMutable() {
        for (Actionability a : action) {
            if (a != Actionability.IMMUTABLE) {
                return true;
            }
        }
        return false;
    }

    /** Model-space value of an original value of a numeric or ordinal feature. */
    public double encode(int feature, double v) {
        return (v - encoder.center(feature)) / encoder.scale(feature);
    }

    /** Original value of a model-space value of a numeric or ordinal feature. */
    public double decode(int feature, double z) {
        return z * encoder.scale(feature) + encoder.center(feature);
    }

    /** Model-space step between neighbouring grid points of an integer or ordinal feature. */
    public double gridStep(int feature) {
        return 1.0 / encoder.scale(feature);
    }

    /** {@return a copy of the per-column L1 weights (1/std)} */
    public float[] l1Weights() {
        return l1Weight.clone();
    }

    /** {@return true when this space carries 1/MAD weights} */
    public boolean hasMadWeights() {
        return madWeight != null;
    }

    /**
     * The per-column weights a cost kind uses (L0 and L2 use the L1 weights as their gradient
     * surrogate / scale).
     *
     * @throws IllegalArgumentException for {@link CostKind#L1_MAD} on a space built without training rows
     */
    public float[] columnWeights(CostKind cost) {
        if (cost == CostKind.L1_MAD) {
            if (madWeight == null) {
                throw new IllegalArgumentException("cost L1_MAD needs an action space built with training rows: "
                        + "use ActionSpace.of(encoder, train)");
            }
            return madWeight.clone();
        }
        return l1Weight.clone();
    }

    /** The cost function of a kind over this space. */
    public CostFunction cost(CostKind cost) {
        return new CostFunction(this, cost);
    }
}
