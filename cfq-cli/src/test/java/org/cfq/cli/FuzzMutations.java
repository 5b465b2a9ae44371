package org.cfq.cli;

import java.util.SplittableRandom;

/** Seeded text mutations for the CLI's fuzz tests (the same operators as cfq-io's ReadersFuzzTest). */
final class FuzzMutations {
    private FuzzMutations() {
    }

    /** Pieces a mutation inserts: numbers at the edges, JSON and CSV syntax, odd characters. */
    private static final String[] TOKENS = {"-1", "0", "1e308", "-1e308", "NaN", "Infinity", "2147483648", "1e-320",
        "9999999999999999999999", "null", "true", "\"\"", "[]", "{}", "[", "]", "{", "}", ",", ":", "\"", "\n", "\r\n",
        "\uFEFF", "?", " ", "\u0000", "é", "\\u0000", "AAAA", "====", "-0", "0x10", "1.5"};

    /** Applies {@code n} seeded mutations: flip, delete, duplicate, insert a token, truncate. */
    static String mutate(String s, long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        StringBuilder b = new StringBuilder(s);
        for (int k = 0; k < n && b.length() > 0; k++) {
            int at = r.nextInt(b.length());
            int len = 1 + r.nextInt(Math.min(40, b.length() - at));
            switch (r.nextInt(6)) {
                case 0 -> b.setCharAt(at, (char) (32 + r.nextInt(95)));
                case 1 -> b.delete(at, at + len);
                case 2 -> b.insert(at, b.substring(at, at + len));
                case 3 -> b.insert(at, TOKENS[r.nextInt(TOKENS.length)]);
                case 4 -> b.setLength(at);
                default -> {
                    // Replace the number under the cursor, if any, with an edge value.
                    int end = at;
                    while (end < b.length() && "0123456789.-+eE".indexOf(b.charAt(end)) >= 0) {
                        end++;
                    }
                    b.replace(at, end, TOKENS[r.nextInt(9)]);
                }
            }
        }
        return b.toString();
    }

}
