package org.cfq.experiment;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cfq.InvalidInputException;
import org.cfq.data.Dataset;
import org.cfq.data.Table;
import org.cfq.data.encode.ModelSpaceLayout;
import org.cfq.io.datasets.ActionPreset;
import org.cfq.io.datasets.DataDirectory;
import org.cfq.io.datasets.DatasetRegistry;
import org.cfq.io.datasets.Downloader;

/** The built-in datasets ({@code cfq datasets}): rows per split, width, favorable rates, and where each was read from. */
public final class DatasetCatalog {
    private DatasetCatalog() {
    }

    /**
     * One built-in dataset: its facts when it could be read, else why not.
     *
     * @param rows          train, validation and test rows (null when unavailable)
     * @param favorableRate favorable share of train, validation, test and all rows, to 4 decimals
     */
    public record Entry(String name, String description, boolean available, String source, int[] rows,
                        int features, int modelSpaceWidth, double[] favorableRate, String reason) {
    }

    /** The directories searched, in order, and every built-in dataset. */
    public record Listing(List<Path> dataDirectories, List<Entry> datasets) {
    }

    /**
     * Reads every built-in dataset with the paper's actionability.
     *
     * @param dataDir  the directory given, or null for {@code $CFQ_DATA_DIR}, then the cache
     * @param download download missing files (off: listing never touches the network)
     */
    public static Listing list(Path dataDir, boolean download) {
        return list(dataDir, download, org.cfq.data.Splits.DEFAULT_SEED);
    }

    /** {@link #list(Path, boolean)} with the splits drawn with another seed. */
    public static Listing list(Path dataDir, boolean download, long splitSeed) {
        DatasetRegistry registry = DatasetRegistry.builtIn();
        DataDirectory dirs = DataDirectory.resolve(dataDir);
        Downloader downloader = Downloader.standard();
        List<Entry> entries = new ArrayList<>();
        for (String name : registry.names()) {
            String description = registry.get(name).description();
            try {
                Dataset d = registry.load(name, ActionPreset.PAPER, dirs, downloader, download, splitSeed);
                entries.add(new Entry(name, description, true, d.source(),
                        new int[] {d.train().rows(), d.validation().rows(), d.test().rows()}, d.schema().size(),
                        ModelSpaceLayout.of(d.schema()).width(), new double[] {round(d.train().favorableRate()),
                        round(d.validation().favorableRate()), round(d.test().favorableRate()),
                        round(overallRate(d.train(), d.validation(), d.test()))}, null));
            } catch (InvalidInputException e) {
                entries.add(new Entry(name, description, false, null, null, 0, 0, null, e.getMessage()));
            }
        }
        return new Listing(dirs.candidates(), entries);
    }

    /** Puts the listing into {@code root}: {@code data_directories} and one object per dataset. */
    public static ObjectNode toJson(Listing listing, ObjectNode root) {
        ArrayNode dirList = root.putArray("data_directories");
        listing.dataDirectories().forEach(p -> dirList.add(p.toString()));
        ArrayNode list = root.putArray("datasets");
        for (Entry e : listing.datasets()) {
            ObjectNode n = list.addObject().put("name", e.name()).put("description", e.description())
                    .put("available", e.available());
            if (!e.available()) {
                n.put("reason", e.reason());
                continue;
            }
            n.put("source", e.source());
            n.putObject("rows").put("train", e.rows()[0]).put("validation", e.rows()[1]).put("test", e.rows()[2]);
            n.put("features", e.features()).put("model_space_width", e.modelSpaceWidth());
            n.putObject("favorable_rate").put("train", e.favorableRate()[0]).put("validation", e.favorableRate()[1])
                    .put("test", e.favorableRate()[2]).put("all", e.favorableRate()[3]);
        }
        return root;
    }

    private static double overallRate(Table... parts) {
        double fav = 0;
        long rows = 0;
        for (Table t : parts) {
            fav += t.favorableRate() * t.rows();
            rows += t.rows();
        }
        return rows == 0 ? 0 : fav / rows;
    }

    private static double round(double v) {
        return Math.round(v * 1e4) / 1e4;
    }
}
