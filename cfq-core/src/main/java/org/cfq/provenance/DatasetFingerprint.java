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
        for (int r = 0; r < table.rows(); r++) {
            for (int c = 0; c < s.size(); c++) {
                if (buf.remaining() < 8) {
                    flush(md, buf);
                }
                buf.putDouble(table.value(r, c));
            }
            if (buf.remaining() < 4) {
                flush(md, buf);
            }
            buf.putInt(table.label(r));
        }
        flush(md, buf);
        return PREFIX + Digests.hex(md);
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
