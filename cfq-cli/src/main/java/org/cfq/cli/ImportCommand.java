package org.cfq.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import org.cfq.InvalidInputException;
import org.cfq.experiment.TeacherImport;
import org.cfq.io.files.FileChecks;
import org.cfq.io.model.ModelFile;
import org.cfq.io.model.SavedModel;
import org.cfq.model.imported.ImportedNetwork;
import org.cfq.onnx.OnnxImporter;
import org.cfq.provenance.ImportSource;
import org.cfq.report.ImportText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cfq import}: turns a float MLP from an ONNX file, with the input layout it was
 * trained behind, into a cfq teacher model file that {@code quantize}, {@code recourse},
 * {@code audit} and {@code export} take like one cfq trained.
 */
@Command(name = "import", mixinStandardHelpOptions = true, description = {
    "Import a float MLP classifier from ONNX (Gemm or MatMul+Add, Relu, optional final Sigmoid/Softmax; "
            + "opsets 9-21) as a cfq teacher model file.",
    "The input layout JSON says what each model input is (standardize, min_max, one_hot of a level, "
            + "pass_through of a schema feature); it is folded into the first layer, so the teacher runs on cfq's "
            + "own encoding and counterfactuals read back as rows.",
    "Margin: cfq's margin is the favorable class's log-odds: a one-output model's logit (for a sigmoid model, "
            + "the logit before the sigmoid), or logit[favorable] - logit[other] for two outputs."})
public final class ImportCommand implements Callable<Integer> {

    @Option(names = "--onnx", required = true, paramLabel = "FILE", description = "The ONNX model file.")
    Path onnx;

    @Option(names = "--layout", required = true, paramLabel = "FILE", description = "The input layout JSON file.")
    Path layout;

    @Option(names = "--favorable-index", paramLabel = "0|1",
            description = "Which of two outputs is the favorable class (required for two outputs; a one-output "
                    + "model gives the favorable class's logit or probability).")
    Integer favorableIndex;

    @Mixin
    DatasetOptions data;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the cfq model file.")
    Path out;

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        FileChecks.readable(onnx, "--onnx");
        FileChecks.output(out, "--out", FileChecks.OutputKind.MODEL, common.force, onnx, layout);
        OnnxImporter.Imported onnxModel = OnnxImporter.read(onnx,
                favorableIndex == null ? OptionalInt.empty() : OptionalInt.of(favorableIndex));
        String layoutText = Files.readString(requireFile(layout, "--layout"));
        ImportedNetwork net = onnxModel.network();
        ImportSource source = onnxModel.source(onnx.getFileName().toString(), layoutText);
        TeacherImport.Result imported = TeacherImport.build(net, source, onnx, layoutText, layout, data.source());
        SavedModel saved = imported.saved();
        ModelFile.write(out, saved);
        List<String> unused = imported.unused();
        if (!unused.isEmpty()) {
            err.println("note: the model uses no input from " + unused + "; recourse may change them without effect");
        }
        JsonOutput.emit(spec.commandLine().getOut(), common.json, imported.json(net, source, onnx, out),
                () -> ImportText.render(imported, net, source, onnx, out));
        return CliErrors.OK;
    }

    private static Path requireFile(Path p, String option) {
        if (!Files.isRegularFile(p)) {
            throw new InvalidInputException(p.toString(), "file not found", "Check the path given to " + option);
        }
        return p;
    }
}
