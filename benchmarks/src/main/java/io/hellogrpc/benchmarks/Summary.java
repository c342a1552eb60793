package io.hellogrpc.benchmarks;

import java.util.Arrays;
import java.util.List;

/** Several rounds of one figure: the median, and the min and max to show the spread. */
record Summary(double median, double min, double max, int rounds) {
  static Summary of(List<Double> values) {
    if (values.isEmpty()) {
      throw new IllegalArgumentException("no values");
    }
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(sorted);
    int n = sorted.length;
    double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    return new Summary(median, sorted[0], sorted[n - 1], n);
  }
}
