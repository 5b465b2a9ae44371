package org.cfq.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;

/** Clocks and the statistics a benchmark reports: medians of runs, CPU time, the load average. */
public final class Timing {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private Timing() {
    }

    /** {@return the calling thread's CPU time in nanoseconds} */
    public static long threadCpu() {
        return THREADS.getCurrentThreadCpuTime();
    }

    /** {@return the system load average of the last minute, or a negative value when unknown} */
    public static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /** {@return the middle value (the mean of the two middle values for an even count), NaN when empty} */
    public static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    /** {@return the runs as "[a, b, c]", each in {@code format}} */
    public static String runs(double[] v, String format) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            b.append(i > 0 ? ", " : "").append(String.format(Locale.ROOT, format, v[i]));
        }
        return b.append(']').toString();
    }
}
