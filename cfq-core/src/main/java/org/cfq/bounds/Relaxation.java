package org.cfq.bounds;

/**
 * CROWN's linear relaxation of one hidden neuron's activation {@code a(v) = f(max(v, 0))} on
 * its pre-activation interval {@code [l, u]}: {@code aL v + cL <= a(v) <= aU v + cU}.
 *
 * <p>A ReLU: upper the chord, lower slope 1 when the interval is mostly positive, else 0 (the
 * adaptive choice of CROWN). A quantized activation ({@link StepActivation}): the same lines for
 * the clipped ReLU {@code min(max(v, 0), top)} (chords and tangents of its two kinks), shifted
 * by {@link StepActivation#deviation()}. Either line is replaced by the constant {@code a(l)}
 * (lower) or {@code a(u)} (upper), sound because a is non-decreasing, when the constant has
 * the tighter mean over {@code [l, u]}; when {@code a(l) = a(u)} the neuron is that constant.
 */
final class Relaxation {
    private Relaxation() {
    }

    /**
     * @param s  the step after the ReLU, null for none
     * @param fl {@code a(l)}
     * @param fu {@code a(u)}
     * @param out {aL, cL, aU, cU}, overwritten
     */
    static void of(StepActivation s, double l, double u, double fl, double fu, double[] out) {
        if (s == null && (l >= 0 || u <= 0)) {
            // a stable ReLU is linear: exact, and its slope carries the gradient of the bound
            double a = l >= 0 ? 1 : 0;
            set(out, a, 0, a, 0);
            return;
        }
        if (fl == fu) {
            set(out, 0, fl, 0, fu);
            return;
        }
        double top = s == null ? Double.POSITIVE_INFINITY : s.top();
        double aL;
        double cL;
        double aU;
        double cU;
        if (u <= 0) {
            aL = 0;
            cL = 0;
            aU = 0;
            cU = 0;
        } else if (l >= top) {
            aL = 0;
            cL = top;
            aU = 0;
            cU = top;
        } else if (l >= 0 && u <= top) {
            aL = 1;
            cL = 0;
            aU = 1;
            cU = 0;
        } else if (l < 0 && u <= top) {
            aU = u / (u - l);
            cU = -l * aU;
            aL = u > -l ? 1 : 0;
            cL = 0;
        } else if (l >= 0) {
            // 0 <= l < top < u: the concave min(v, top)
            aL = (top - l) / (u - l);
            cL = l - aL * l;
            aU = top - l > u - top ? 1 : 0;
            cU = top - aU * top;
        } else {
            aL = 0;
            cL = 0;
            aU = 0;
            cU = top;
        }
        if (s != null) {
            double dev = s.deviation();
            cL -= dev;
            cU += dev;
        }
        double mid = 0.5 * (l + u);
        if (!(aL * mid + cL > fl)) {
            aL = 0;
            cL = fl;
        }
        if (!(aU * mid + cU < fu)) {
            aU = 0;
            cU = fu;
        }
        set(out, aL, cL, aU, cU);
    }

    private static void set(double[] out, double aL, double cL, double aU, double cU) {
        out[0] = aL;
        out[1] = cL;
        out[2] = aU;
        out[3] = cU;
    }
}
