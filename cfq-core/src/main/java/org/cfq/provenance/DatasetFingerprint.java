package org.cfq.provenance;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.cfq.data.FeatureSchema;
import org.cfq.data.FeatureSpec;
import org.cfq.data.Table;

/**
 * A SHA-256 fingerprint of a table: its schema (name, label column, favorable label, and
 * each feature's name, kind, levels, range and actionability) and every value and label,
 * in row-major order. Two tables have the same fingerprint when they hold the same data
 * under the same schema, whatever file they were read from.
 */
public final class DatasetFingerprint {
    /** Prefix of every fingerprint string, naming the hash. */
    public static final String PREFIX = "sha256:";

    private DatasetFingerprint() {
    }

    /** {@return "sha256:" followed by 64 lowercase hex digits} */
    public static String of(Table table) {
        MessageDigest md = Digests.sha256();
        FeatureSchema s = table.schema();
        text(md, "cfq-table-v1");
        text(md, s.name());
        text(md, s.labelColumn());
        text(md, s.favorableLabel());
        ByteBuffer buf = ByteBuffer.allocate(8 * 1024).order(ByteOrder.LITTLE_ENDIAN);
        buf.putInt(s.size());
        for (FeatureSpec f : s.features()) {
            flush(md, buf);
            text(md, f.name());
            text(md, f.kind().name());
            text(md, f.actionability().name());
            buf.putInt(f.levels().size());
            flush(md, buf);
            for (String level : f.levels()) {
                text(md, level);
            }
            if (f.range() == null) {
                buf.put((byte) 0);
            } else {
                buf.put((byte) 1).putDouble(f.range().min()).putDouble(f.range().max());
            }
        }
        buf.putInt(table.rows());
        flush(md, buf);
        rows(md, table);
        return PREFIX + Digests.hex(md);
    }

    /**
     * Hashes every row: its values (little-endian doubles) then its label (little-endian int).
     * Built a block of rows at a time with bulk copies rather than a put per value: a fresh
     * process hashes tens of thousands of rows before the JIT has compiled this (issue 16).
     */
    private static void rows(MessageDigest md, Table table) {
        int cols = table.schema().size();
        int rows = table.rows();
        double[][] columns = new double[cols][];
        for (int c = 0; c < cols; c++) {
            columns[c] = table.column(c);
        }
        int[] labels = table.labels();
        int valueBytes = 8 * cols;
        int rowBytes = valueBytes + 4;
        int block = Math.max(1, (64 * 1024) / rowBytes);
        double[] values = new double[block * cols];
        ByteBuffer valueBuf = ByteBuffer.allocate(block * valueBytes).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer labelBuf = ByteBuffer.allocate(block * 4).order(ByteOrder.LITTLE_ENDIAN);
        byte[] out = new byte[block * rowBytes];
        for (int r0 = 0; r0 < rows; r0 += block) {
            int n = Math.min(block, rows - r0);
            for (int c = 0; c < cols; c++) {
                double[] col = columns[c];
                for (int k = 0, j = c; k < n; k++, j += cols) {
                    values[j] = col[r0 + k];
                }
            }
            valueBuf.clear();
            valueBuf.asDoubleBuffer().put(values, 0, n * cols);
            labelBuf.clear();
            labelBuf.asIntBuffer().put(labels, r0, n);
            byte[] v = valueBuf.array();
            byte[] l = labelBuf.array();
            for (int k = 0; k < n; k++) {
                System.arraycopy(v, k * valueBytes, out, k * rowBytes, valueBytes);
                System.arraycopy(l, 4 * k, out, k * rowBytes + valueBytes, 4);
            }
            md.update(out, 0, n * rowBytes);
        }
    }

    private static void text(MessageDigest md, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        md.update(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length).array());
        md.update(b);
    }

    private static void flush(MessageDigest md, ByteBuffer buf) {
        buf.flip();
        md.update(buf);
        buf.clear();
    }
}
