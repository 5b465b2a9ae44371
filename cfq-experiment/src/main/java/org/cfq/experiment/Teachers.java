package org.cfq.experiment;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.cfq.io.json.Json;
import org.cfq.io.json.ProvenanceJson;
import org.cfq.model.Scores;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import org.cfq.data.Dataset;
import org.cfq.data.FeatureSchema;
import org.cfq.data.Range;
import org.cfq.data.encode.EncodedSplits;
import org.cfq.data.encode.Encoder;
import org.cfq.data.encode.Scaling;
import org.cfq.io.model.ModelFile;
import org.cfq.io.model.SavedModel;
import org.cfq.provenance.DatasetFingerprint;
import org.cfq.provenance.Provenance;
import org.cfq.recourse.ActionSpace;
import org.cfq.train.MlpTrainer;
import org.cfq.train.TrainingConfig;
import org.cfq.train.TrainingResult;

/**
 * Teacher provisioning, the one implementation: train a float teacher on a dataset (encoder
 * fitted on the training split with standard scaling, early stopping on the validation split),
 * or reuse a cached model file, and put a teacher under a dataset's actionability.
 */
public final class Teachers {
    private Teachers() {
    }

    /** A trained teacher: its model file content, the training run and the splits in its space. */
    public record Trained(SavedModel saved, TrainingResult result, EncodedSplits splits) {
        /** {@return the teacher's accuracy on the test split} */
        public double testAccuracy() {
            return Scores.accuracy(result.model(), splits.testX(), splits.testY());
        }

        /** {@return the validation split's majority-class rate, NaN without validation rows} */
        public double validationMajorityRate() {
            return Scores.majorityRate(splits.validationY());
        }

        /**
         * {@return a warning when the chosen epoch's validation accuracy is no better than always
         * predicting the majority class, else empty}: such a teacher's decisions, and so its
         * recourse, carry no information. Seen on small data (German, split seed 5: validation
         * accuracy 0.670 at epoch 4 against a majority rate of 0.698), where early stopping can
         * fire after a few dozen optimiser steps. Judged on validation rows only, never on test.
         */
        public Optional<String> degenerateWarning() {
            double acc = result.bestValidationAccuracy();
            double floor = validationMajorityRate();
            if (!(acc <= floor)) {
                return Optional.empty();
            }
            return Optional.of(String.format(Locale.ROOT, "warning: the teacher is no better than always predicting"
                    + " the majority class on validation (accuracy %.4f at epoch %d of %d, majority rate %.4f); its"
                    + " recourse means little. Try another --seed or --split-seed, --stop accuracy, or a larger"
                    + " --patience", acc, result.bestEpoch(), result.epochsRun(), floor));
        }

        /**
         * {@return the training run as JSON ({@code cfq train --json}): the dataset's splits, the
         * accuracies and losses, epochs, timing, size, provenance and the file written}
         *
         * @param family   the model family (mlp or logistic)
         * @param stopping the stopping metric (loss or accuracy)
         */
        public ObjectNode json(Dataset d, TrainingConfig config, String family, String stopping, Path out) {
            ObjectNode o = Json.mapper().createObjectNode().put("dataset", d.name()).put("model", family);
            config.hidden().forEach(o.putArray("hidden")::add);
            TrainingResult r = result;
            o.put("seed", config.seed()).put("train_rows", d.train().rows()).put("validation_rows", d.validation().rows())
                    .put("test_rows", d.test().rows()).put("test_accuracy", testAccuracy())
                    .put("validation_accuracy", r.bestValidationAccuracy())
                    .put("validation_majority_rate", validationMajorityRate())
                    .put("validation_loss", r.bestValidationLoss()).put("epochs", r.epochsRun())
                    .put("best_epoch", r.bestEpoch()).put("stopping", stopping).put("seconds", r.seconds())
                    .put("seconds_per_epoch", r.secondsPerEpoch()).put("parameters", r.model().parameterCount())
                    .put("dataset_fingerprint", saved.provenance().datasetFingerprint()).put("out", out.toString())
                    .set("provenance", ProvenanceJson.toJson(saved.provenance()));
            return o;
        }
    }

    /**
     * Trains a teacher.
     *
     * @param description what produced it, recorded in its provenance
     * @param listener    sees every epoch (progress)
     */
    public static Trained train(Dataset d, TrainingConfig config, String description,
                                MlpTrainer.ProgressListener listener) {
        Encoder enc = Encoder.fit(d.train(), Scaling.STANDARD);
        EncodedSplits s = EncodedSplits.of(enc, d);
        TrainingResult r = new MlpTrainer(config).train(s.trainX(), s.trainY(), s.validationX(), s.validationY(),
                listener);
        Provenance p = Provenance.of(config.seed(), description, DatasetFingerprint.of(d.train()), Provenance.now());
        return new Trained(new SavedModel(r.model(), enc, config, p), r, s);
    }

    /**
     * {@return the teacher in {@code file} when it exists, else one trained now and written there}
     *
     * @param file        the cache file, or null for no cache (always train, write nothing)
     * @param description what produced it, recorded in its provenance
     * @param log         one line when a teacher is reused, trained or saved
     * @throws IOException when the file cannot be read or written
     */
    public static SavedModel cached(Path file, Dataset d, TrainingConfig config, String description,
                                    MlpTrainer.ProgressListener listener, Consumer<String> log) throws IOException {
        if (file != null && Files.isRegularFile(file)) {
            SavedModel saved = ModelFile.read(file, d.schema());
            log.accept("reusing " + file);
            return saved;
        }
        long t0 = System.nanoTime();
        Trained trained = train(d, config, description, listener);
        trained.degenerateWarning().ifPresent(log);
        SavedModel saved = trained.saved();
        if (file != null) {
            ModelFile.write(file, saved);
        }
        log.accept(String.format(Locale.ROOT, "trained in %.1f s%s", (System.nanoTime() - t0) / 1e9,
                file == null ? "" : ", saved to " + file));
        return saved;
    }

    /** The model's scaling and boxes under the dataset's schema (its actionability in force). */
    public static Encoder withSchema(Encoder e, FeatureSchema s) {
        int n = s.size();
        double[] c = new double[n];
        double[] sc = new double[n];
        Range[] box = new Range[n];
        for (int i = 0; i < n; i++) {
            c[i] = e.center(i);
            sc[i] = e.scale(i);
            box[i] = e.box(i);
        }
        return new Encoder(s, e.scaling(), c, sc, box);
    }

    /** The action space of a dataset behind a model's encoder (with 1/MAD weights from training rows). */
    public static ActionSpace actionSpace(Encoder encoder, Dataset data) {
        return data.train().rows() > 0 ? ActionSpace.of(encoder, data.train()) : ActionSpace.of(encoder);
    }

    /**
     * The plausibility scorer of a teacher's dataset (issue #11): yNN against the training rows
     * labelled by the teacher, LOF against the favorable training rows (seeded reference samples).
     */
    public static org.cfq.recourse.Plausibility plausibility(org.cfq.model.Mlp teacher, Encoder encoder,
                                                             Dataset data, double threshold, long seed) {
        org.cfq.data.Table train = data.train();
        float[] x = encoder.encode(train);
        float[] m = teacher.margins(x, train.rows());
        int[] pred = new int[train.rows()];
        for (int r = 0; r < pred.length; r++) {
            pred[r] = m[r] > threshold ? 1 : 0;
        }
        return new org.cfq.recourse.Plausibility(x, train.rows(), encoder.width(), pred, train.labels(),
                org.cfq.recourse.Plausibility.DEFAULT_REFERENCE, seed);
    }
}
