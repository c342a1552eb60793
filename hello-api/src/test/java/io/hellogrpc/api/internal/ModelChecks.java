package io.hellogrpc.api.internal;

import static org.jetbrains.lincheck.datastructures.ManagedStrategyGuaranteeKt.forClasses;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jetbrains.kotlinx.lincheck.Actor;
import org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.verifier.EpsilonVerifier;
import org.jetbrains.lincheck.datastructures.verifier.LinearizabilityVerifier;
import org.jetbrains.lincheck.datastructures.verifier.Verifier;

/**
 * Hand-written scenarios for Lincheck's model checker, each explored up to a fixed number of
 * interleavings. Lincheck explores them in a fixed order, fewest thread switches first (the runs
 * are deterministic); the races these checks are after need one or two switches at the right
 * place, so they come early.
 *
 * <p>What runs as one step, with no thread switch inside it: the JDK collections that the code
 * under test only touches under its lock, where no other thread can see them half-changed; and the
 * test's bookkeeping classes (a fake transport standing for grpc's own state, records for the
 * checks), which call nothing under test and which Lincheck does not analyse at all.
 *
 * <p>Model checking is slow: each interleaving runs the scenario anew, switching threads by hand,
 * and each Lincheck check costs a fixed setup (about a quarter of a second of CPU). So the
 * scenarios are small, their count is what the races need, and scenarios that follow one another
 * with the same count share one check.
 */
final class ModelChecks {
  private final Class<?> test;
  private final Class<?>[] bookkeeping;
  private final List<ExecutionScenario> scenarios = new ArrayList<>();
  private final List<Integer> counts = new ArrayList<>(); // each scenario's
  private int invocations = 30;
  private Class<? extends Verifier> verifier = EpsilonVerifier.class; // @Validate holds the checks
  private Class<?> sequentialSpecification;

  private ModelChecks(Class<?> test, Class<?>... bookkeeping) {
    this.test = test;
    this.bookkeeping = bookkeeping;
  }

  /** Scenarios of {@code test}'s operations; {@code bookkeeping} classes are not analysed. */
  static ModelChecks of(Class<?> test, Class<?>... bookkeeping) {
    return new ModelChecks(test, bookkeeping);
  }

  /** How many interleavings of each scenario added from now on to explore, at most. */
  ModelChecks invocationsPerScenario(int invocations) {
    this.invocations = invocations;
    return this;
  }

  /**
   * Also compares each execution's results with some one-at-a-time order of the same operations
   * on {@code specification}, a class with the same operations (Lincheck's linearizability check).
   */
  ModelChecks linearizableTo(Class<?> specification) {
    this.sequentialSpecification = specification;
    this.verifier = LinearizabilityVerifier.class;
    return this;
  }

  /** One operation on each thread. */
  ModelChecks race(String... operationPerThread) {
    List<List<String>> threads = new ArrayList<>();
    for (String operation : operationPerThread) {
      threads.add(List.of(operation));
    }
    return scenario(List.of(), threads);
  }

  /** {@code init} runs first, alone; then each thread's operations, in parallel. */
  ModelChecks scenario(List<String> init, List<List<String>> threads) {
    List<List<Actor>> parallel = new ArrayList<>();
    for (List<String> thread : threads) {
      parallel.add(actors(thread));
    }
    scenarios.add(new ExecutionScenario(actors(init), parallel, List.of(), null));
    counts.add(invocations);
    return this;
  }

  /**
   * Runs the scenarios, in the order given.
   *
   * @throws org.jetbrains.lincheck.LincheckAssertionError for the first that fails, with the
   *     interleaving that failed it
   */
  void check() {
    int from = 0;
    while (from < scenarios.size()) {
      int to = from + 1;
      while (to < scenarios.size() && counts.get(to).equals(counts.get(from))) {
        to++;
      }
      check(counts.get(from), scenarios.subList(from, to));
      from = to;
    }
  }

  private void check(int invocations, List<ExecutionScenario> scenarios) {
    ModelCheckingOptions options =
        new ModelCheckingOptions()
            .iterations(0) // no random scenarios
            .invocationsPerIteration(invocations)
            .minimizeFailedScenario(false)
            .verifier(verifier)
            .addGuarantee(
                forClasses(
                        "java.util.ArrayDeque",
                        "java.util.ArrayList",
                        "java.util.AbstractCollection",
                        "java.util.AbstractList",
                        "java.util.List")
                    .allMethods()
                    .treatAsAtomic());
    if (sequentialSpecification != null) {
      options = options.sequentialSpecification(sequentialSpecification);
    }
    if (bookkeeping.length > 0) {
      // Lincheck matches a method's class by its canonical name (Outer.Inner, not Outer$Inner).
      String[] names =
          Arrays.stream(bookkeeping).map(Class::getCanonicalName).toArray(String[]::new);
      options = options.addGuarantee(forClasses(names).allMethods().ignore());
    }
    for (ExecutionScenario scenario : scenarios) {
      options = options.addCustomScenario(scenario);
    }
    options.check(test);
  }

  private List<Actor> actors(List<String> operations) {
    List<Actor> actors = new ArrayList<>();
    for (String operation : operations) {
      actors.add(new Actor(method(operation), List.of()));
    }
    return actors;
  }

  private Method method(String name) {
    try {
      return test.getMethod(name);
    } catch (NoSuchMethodException e) {
      throw new IllegalArgumentException(test.getSimpleName() + " has no operation " + name, e);
    }
  }
}
