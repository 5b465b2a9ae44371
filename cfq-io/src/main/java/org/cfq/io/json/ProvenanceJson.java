package org.cfq.io.json;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.cfq.provenance.Provenance;

/** The one JSON shape of {@link Provenance}, for model files and commands' JSON output. */
public final class ProvenanceJson {
    private ProvenanceJson() {
    }

    /**
     * {@return {"cfq_version", "seed", "config", "dataset_fingerprint", "java_version", "os",
     * "arch", "created_at"}}
     */
    public static ObjectNode toJson(Provenance p) {
        ObjectNode o = Json.mapper().createObjectNode();
        o.put("cfq_version", p.cfqVersion());
        o.put("seed", p.seed());
        o.put("config", p.config());
        o.put("dataset_fingerprint", p.datasetFingerprint());
        o.put("java_version", p.javaVersion());
        o.put("os", p.os());
        o.put("arch", p.arch());
        o.put("created_at", p.createdAt());
        return o;
    }
}
