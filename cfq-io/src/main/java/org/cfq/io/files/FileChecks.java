package org.cfq.io.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import org.cfq.InvalidInputException;

/**
 * Checks of the files a command reads and writes, made before any work starts, so a bad
 * path fails in a second with exit 2 and a message naming the option, the problem and the
 * fix, never after an hour of training with a raw Java exception.
 *
 * <p>An output may replace an existing file only when that file is of the kind the command
 * writes (a model file by a model file, say); anything else, and above all one of the
 * command's own inputs, is refused unless the user says {@code --force} (inputs: always).
 */
public final class FileChecks {
    private FileChecks() {
    }

    /** What a command writes, and how to recognize an existing file of that kind by its first bytes. */
    public enum OutputKind {
        /** A float model file ({@code "format": "cfq-model"}). */
        MODEL("a cfq model file"),
        /** A quantized model file ({@code "format": "cfq-quantized-model"}). */
        QUANTIZED_MODEL("a cfq quantized model file"),
        /** The per-instance recourse CSV of {@code cfq recourse --out}. */
        RECOURSE_CSV("a cfq recourse CSV"),
        /** An ONNX model (a protobuf message, binary). */
        ONNX("an ONNX model"),
        /** A schema file ({@code "labelColumn"} and {@code "features"}). */
        SCHEMA("a schema file"),
        /** A Markdown report (its first line a heading). */
        MARKDOWN("a Markdown report"),
        /** The per-cell CSV of {@code cfq quant-table --csv}. */
        QUANT_TABLE_CSV("a cfq quant-table CSV"),
        /** An HTML page ({@code cfq report}). */
        HTML("an HTML page");

        private final String noun;

        OutputKind(String noun) {
            this.noun = noun;
        }

        /** {@return how messages call a file of this kind} */
        public String noun() {
            return noun;
        }

        boolean recognizes(byte[] head) {
            String text = new String(head, StandardCharsets.UTF_8);
            return switch (this) {
                case MODEL -> text.replaceAll("\\s", "").contains("\"format\":\"cfq-model\"");
                case QUANTIZED_MODEL -> text.replaceAll("\\s", "").contains("\"format\":\"cfq-quantized-model\"");
                case RECOURSE_CSV -> text.startsWith("test_row,");
                // An ONNX ModelProto starts with field 1 (ir_version, a varint): tag byte 0x08.
                case ONNX -> head.length > 0 && head[0] == 0x08;
                case SCHEMA -> text.contains("\"labelColumn\"") && !text.contains("\"format\"");
                case MARKDOWN -> text.startsWith("#");
                case QUANT_TABLE_CSV -> text.startsWith("dataset,seed,method,bits,");
                case HTML -> text.stripLeading().regionMatches(true, 0, "<!doctype html", 0, 14)
                        || text.stripLeading().regionMatches(true, 0, "<html", 0, 5);
            };
        }
    }

    /**
     * Checks an input file before any work: it exists, is a regular file and can be read.
     *
     * @param option the option that named it, e.g. "--model"
     * @throws InvalidInputException naming the option and the path
     */
    public static void readable(Path file, String option) {
        if (file == null) {
            return;
        }
        String what = option + " " + file;
        if (!Files.exists(file)) {
            throw new InvalidInputException(what, "the file does not exist",
                    "Check the path (relative paths start from " + Path.of("").toAbsolutePath() + ")");
        }
        if (Files.isDirectory(file)) {
            throw new InvalidInputException(what, "it is a directory, not a file", "Give the path of the file inside it");
        }
        if (!Files.isReadable(file)) {
            throw new InvalidInputException(what, "the file cannot be read (permission denied)",
                    "Make it readable (chmod u+r) or run as a user who may read it");
        }
    }

    /**
     * Checks an output file before any work: it is not one of the inputs, not a directory,
     * its directory exists (or can be created) and is writable, and an existing file there
     * is of the kind the command writes unless {@code force}.
     *
     * @param option the option that named it, e.g. "--out"
     * @param inputs the command's input files (nulls are skipped); an output equal to one is always refused
     * @throws InvalidInputException naming the option, the path, the problem and the fix
     */
    public static void output(Path out, String option, OutputKind kind, boolean force, Path... inputs) {
        Objects.requireNonNull(kind, "kind");
        if (out == null) {
            return;
        }
        String what = option + " " + out;
        for (Path in : inputs) {
            if (in != null && sameFile(out, in)) {
                throw new InvalidInputException(what, "it is also one of this command's inputs (" + in
                        + "); writing it would destroy that input", "Write the output to another path");
            }
        }
        if (Files.isDirectory(out)) {
            throw new InvalidInputException(what, "it is a directory", "Give a file path, e.g. " + out.resolve(
                    kind == OutputKind.RECOURSE_CSV ? "recourse.csv" : kind == OutputKind.ONNX ? "model.onnx"
                            : "model.json"));
        }
        writableParent(out.toAbsolutePath().getParent(), what);
        if (Files.exists(out)) {
            if (!Files.isWritable(out)) {
                throw new InvalidInputException(what, "the file exists and is read-only",
                        "Make it writable, remove it, or write to another path");
            }
            if (!force && size(out) > 0 && !kind.recognizes(head(out))) {
                throw new InvalidInputException(what, "the file exists and is not " + kind.noun() + " ("
                        + describe(out) + "); replacing it would lose it",
                        "Write to another path, or pass --force to replace it");
            }
        }
    }

    /**
     * Checks an output directory before any work: it is a directory (or can be created) and
     * is writable.
     *
     * @throws InvalidInputException naming the option and the path
     */
    public static void outputDirectory(Path dir, String option) {
        if (dir == null) {
            return;
        }
        String what = option + " " + dir;
        if (Files.exists(dir)) {
            if (!Files.isDirectory(dir)) {
                throw new InvalidInputException(what, "it is a file, not a directory",
                        "Give a directory path (it is created when missing), or move the file away");
            }
            if (!Files.isWritable(dir)) {
                throw new InvalidInputException(what, "the directory is not writable",
                        "Make it writable (chmod u+w) or choose another directory");
            }
            return;
        }
        writableParent(dir.toAbsolutePath().getParent(), what);
    }

    /** The nearest existing ancestor must be a writable directory, so the missing ones can be created. */
    private static void writableParent(Path parent, String what) {
        Path p = parent;
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        if (p == null) {
            return;
        }
        if (!Files.isDirectory(p)) {
            throw new InvalidInputException(what, p + " is a file, so nothing can be created below it",
                    "Choose a path whose directories are directories");
        }
        if (!Files.isWritable(p)) {
            throw new InvalidInputException(what, "the directory " + p + " is not writable",
                    "Make it writable (chmod u+w) or choose another directory");
        }
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            if (Files.exists(a) && Files.exists(b)) {
                return Files.isSameFile(a, b);
            }
        } catch (IOException e) {
            // Fall through to comparing the paths.
        }
        return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    private static byte[] head(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(256);
        } catch (IOException e) {
            return new byte[0];
        }
    }

    /** A guess at what an existing file is, for the message. */
    static String describe(Path file) {
        byte[] h = head(file);
        String text = new String(h, StandardCharsets.UTF_8).replaceAll("\\s", "");
        for (OutputKind k : OutputKind.values()) {
            if ((k == OutputKind.MODEL || k == OutputKind.QUANTIZED_MODEL || k == OutputKind.RECOURSE_CSV)
                    && k.recognizes(h)) {
                return "it is " + k.noun();
            }
        }
        if (text.contains("\"labelColumn\"") || text.contains("\"features\"")) {
            return "it looks like a schema file";
        }
        if (text.startsWith("{")) {
            return "it is a JSON file";
        }
        if (h.length == 0) {
            return "it is empty or unreadable";
        }
        int firstLine = Arrays.asList(new String(h, StandardCharsets.UTF_8).split("\n")).get(0).indexOf(',');
        return firstLine >= 0 ? "it looks like a CSV data file" : "its content is of another kind";
    }

    /**
     * {@return a file-system failure (possibly wrapped in an {@link java.io.UncheckedIOException})
     * as bad input about that file, the input itself when it is already an {@link InvalidInputException},
     * else null} Commands check their paths before work, so this is the fallback of the error handler.
     */
    public static InvalidInputException asBadInput(Throwable ex) {
        if (ex instanceof InvalidInputException bad) {
            return bad;
        }
        Throwable t = ex instanceof java.io.UncheckedIOException u ? u.getCause() : ex;
        if (t instanceof java.nio.file.FileSystemException fs) {
            String file = fs.getFile() == null ? "a file" : fs.getFile();
            String problem = t instanceof java.nio.file.AccessDeniedException ? "permission denied"
                    : t instanceof java.nio.file.NoSuchFileException ? "it does not exist (or a directory on its path is missing)"
                    : t instanceof java.nio.file.NotDirectoryException ? "a part of the path is a file, not a directory"
                    : fs.getReason() == null ? fs.getClass().getSimpleName() : fs.getReason();
            return new InvalidInputException(file, problem, "Check the path and its permissions", ex);
        }
        return null;
    }
}
