package org.cfq.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.cfq.experiment.QuantTable;
import org.cfq.io.files.AtomicFiles;
import org.cfq.io.files.FileChecks;
import org.cfq.report.CommandText;
import org.cfq.report.QuantTableMarkdown;
import org.cfq.report.progress.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cfq quant-table}: the quantization benchmark of issue 4. For each dataset and seed it
 * trains (or reuses) the default teacher, quantizes it with every method at every width, and
 * writes a Markdown table of test accuracy and agreement with the teacher (means over the
 * seeds), the bar checks, and LSQ's fine-tuning time per epoch.
 */
@Command(name = "quant-table", mixinStandardHelpOptions = true,
        description = "Quantize the default teachers with every method and width; write the Markdown table "
                + "(accuracy and agreement with the teacher, mean over seeds).")
final class QuantTableCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--datasets", split = ",", defaultValue = "adult,german,compas", paramLabel = "LIST",
            description = "Datasets (default ${DEFAULT-VALUE}).")
    List<String> datasets;

    @Option(names = "--methods", split = ",", defaultValue = "ptq,qat,lsq,pact,mixed", paramLabel = "LIST",
            description = "Methods (default ${DEFAULT-VALUE}).")
    List<String> methods;

    @Option(names = "--bits", split = ",", defaultValue = "8,6,4,3,2", paramLabel = "LIST",
            description = "Widths; for mixed, the average budget (default ${DEFAULT-VALUE}).")
    List<Integer> bits;

    @Option(names = "--seeds", split = ",", defaultValue = "42,123,2024", paramLabel = "LIST",
            description = "Seeds of the teachers and the quantizations (default ${DEFAULT-VALUE}).")
    List<Long> seeds;

    @Option(names = "--epochs", paramLabel = "N", description = "Fine-tuning epochs (default 8).")
    Integer epochs;

    @Option(names = "--teachers", paramLabel = "DIR",
            description = "Directory of teacher files <dataset>-seed<seed>.json: reused when present, "
                    + "written when trained.")
    Path teachers;

    @Mixin
    DataDirOption dataDir;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The Markdown file to write.")
    Path out;

    @Option(names = "--csv", paramLabel = "FILE", description = "Also write one row per dataset, seed, method and width.")
    Path csv;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        FileChecks.output(out, "--out", FileChecks.OutputKind.MARKDOWN, common.force, csv);
        FileChecks.output(csv, "--csv", FileChecks.OutputKind.QUANT_TABLE_CSV, common.force, out);
        PrintWriter err = spec.commandLine().getErr();
        long start = System.nanoTime();
        QuantTable table = new QuantTable(datasets, QuantTable.methods(methods), bits, seeds, epochs, teachers,
                dataDir.dir);
        List<QuantTable.Cell> cells;
        try (Progress p = Progress.start(err, "quant-table", table.models(), "model")) {
            cells = table.run(line -> {
                if (line.startsWith("teacher ")) {
                    p.note("cfq: " + line);
                } else {
                    p.step("cfq: " + line);
                }
            });
        }
        double total = (System.nanoTime() - start) / 1e9;
        AtomicFiles.writeString(out, QuantTableMarkdown.render(table, cells, methods, out, total,
                org.cfq.provenance.Provenance.now()));
        if (csv != null) {
            AtomicFiles.writeString(csv, QuantTableMarkdown.csv(cells));
        }
        JsonOutput.emit(spec.commandLine().getOut(), common.json, QuantTable.json(cells, out, total),
                () -> CommandText.quantTable(out, cells.size(), total));
        return CliErrors.OK;
    }
}
