package dev.abilitystore.bench;

import java.lang.management.ManagementFactory;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Heap after a garbage collection and the process's resident set, for the {@code memory} section. */
final class Memory {
  private Memory() {}

  /** Returns {@code heap_used_mib}, {@code heap_max_mib} and {@code rss_mib} (null off Linux) of this process now. */
  static Map<String, Object> sample() {
    System.gc();
    Runtime runtime = Runtime.getRuntime();
    long heapUsed = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    return BenchReport.row("heap_used_mib", heapUsed >> 20, "heap_max_mib", runtime.maxMemory() >> 20,
        "rss_mib", rssMib());
  }

  static @Nullable Long rssMib() {
    String rss = BenchMain.procLine("/proc/self/status", "VmRSS:", "");
    return rss.isEmpty() ? null : Long.parseLong(rss.replaceAll("\\D", "")) >> 10;
  }
}
