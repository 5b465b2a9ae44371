package org.cfq.io.model;

import java.util.Objects;
import org.cfq.provenance.ImportSource;
import org.cfq.train.TrainingConfig;

/** How a teacher came to be: trained by cfq, or imported from another tool's file. */
public sealed interface ModelOrigin permits ModelOrigin.Trained, ModelOrigin.Imported {

    /** Trained by {@code cfq train} with this configuration. */
    record Trained(TrainingConfig config) implements ModelOrigin {
        public Trained {
            Objects.requireNonNull(config, "config");
        }
    }

    /** Imported by {@code cfq import} from another tool's file. */
    record Imported(ImportSource source) implements ModelOrigin {
        public Imported {
            Objects.requireNonNull(source, "source");
        }
    }
}
