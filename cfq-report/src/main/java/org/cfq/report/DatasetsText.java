package org.cfq.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.Locale;
import org.cfq.experiment.DatasetCatalog;
import org.cfq.io.json.Json;

/** Renders the built-in datasets ({@code cfq datasets}) as a table for a terminal. */
public final class DatasetsText {
    private DatasetsText() {
    }

    /** {@return the directories searched, then one line per dataset (or why it is unavailable)} */
    public static String render(DatasetCatalog.Listing listing) {
        ArrayNode dirs = Json.mapper().createArrayNode();
        listing.dataDirectories().forEach(p -> dirs.add(p.toString()));
        StringBuilder sb = new StringBuilder("Data directories searched, in order: ").append(dirs)
                .append(System.lineSeparator());
        sb.append(String.format(Locale.ROOT, "%-10s %8s %8s %8s %6s %6s %9s  %s%n", "dataset", "train", "valid",
                "test", "feats", "width", "favorable", "source"));
        for (DatasetCatalog.Entry e : listing.datasets()) {
            if (e.available()) {
                sb.append(String.format(Locale.ROOT, "%-10s %8d %8d %8d %6d %6d %9.3f  %s%n", e.name(), e.rows()[0],
                        e.rows()[1], e.rows()[2], e.features(), e.modelSpaceWidth(), e.favorableRate()[3],
                        e.source()));
            } else {
                sb.append(String.format(Locale.ROOT, "%-10s unavailable: %s%n", e.name(), e.reason()));
            }
        }
        return sb.toString();
    }
}
