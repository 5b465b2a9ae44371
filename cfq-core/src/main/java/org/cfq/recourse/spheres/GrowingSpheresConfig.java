package org.cfq.recourse.spheres;

/**
 * Settings of growing spheres.
 *
 * @param samples    points sampled per instance and shell
 * @param shellWidth width of each shell, standardized units (L2 over the mutable columns)
 * @param maxShells  shells tried before giving up
 * @param chunkRows  rows scored per model call (bounds memory)
 */
public record GrowingSpheresConfig(int samples, double shellWidth, int maxShells, int chunkRows) {
    public GrowingSpheresConfig {
        if (samples < 1 || maxShells < 1 || chunkRows < 1) {
            throw new IllegalArgumentException("samples, maxShells and chunkRows must be >= 1, got " + samples + ", "
                    + maxShells + ", " + chunkRows);
        }
        if (!(shellWidth > 0 && shellWidth < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("shellWidth must be in (0, inf), got " + shellWidth);
        }
    }

    /** 200 samples per shell, shells 0.25 wide, up to 40 shells (radius 10), 65536-row chunks. */
    public static GrowingSpheresConfig defaults() {
        return new GrowingSpheresConfig(200, 0.25, 40, 65536);
    }
}
