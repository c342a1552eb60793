package io.hellogrpc.api.internal;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Validate;

/**
 * Calls and a closer on one {@link Admission}, for Lincheck ({@link AdmissionModelCheckTest}), as
 * a HelloClient uses it: a call that got in runs and leaves; the closer closes, waits until every
 * call that got in has left, then stops what calls use (event loops, the timer). A call must never
 * run after that stop.
 *
 * <p>{@link CheckThenAct} is the client's guard before the Admission: a closed flag checked, then
 * a count taken, in two steps.
 */
public class AdmissionRaces {
  private final Guard guard;
  private volatile boolean stopped;
  private volatile int ranAfterStop;

  public AdmissionRaces() {
    this(new RealGuard());
  }

  AdmissionRaces(Guard guard) {
    this.guard = guard;
  }

  /** The guard before the Admission. */
  public static final class CheckThenAct extends AdmissionRaces {
    public CheckThenAct() {
      super(new CheckThenActGuard());
    }
  }

  @Operation
  public String call() {
    if (!guard.enter()) {
      return "refused";
    }
    try {
      if (stopped) {
        ranAfterStop++;
      }
      return "ran";
    } finally {
      guard.leave();
    }
  }

  @Operation
  public String close() throws InterruptedException {
    if (!guard.close()) {
      return "closed already";
    }
    if (!guard.awaitAllLeft()) {
      return "still waiting";
    }
    stopped = true;
    return "stopped";
  }

  @Validate
  public void validate() {
    if (ranAfterStop > 0) {
      throw new AssertionError(ranAfterStop + " call(s) ran after the closer stopped");
    }
  }

  interface Guard {
    boolean enter();

    void leave();

    boolean close();

    boolean awaitAllLeft() throws InterruptedException;
  }

  private static final class RealGuard implements Guard {
    private final Admission admission = new Admission();

    @Override
    public boolean enter() {
      return admission.enter();
    }

    @Override
    public void leave() {
      admission.leave();
    }

    @Override
    public boolean close() {
      return admission.close();
    }

    @Override
    public boolean awaitAllLeft() throws InterruptedException {
      return admission.awaitAllLeft(System.nanoTime() + TimeUnit.MINUTES.toNanos(1));
    }
  }

  private static final class CheckThenActGuard implements Guard {
    private volatile boolean closed;
    private final AtomicInteger inside = new AtomicInteger();
    private final CountDownLatch allLeft = new CountDownLatch(1);

    @Override
    public boolean enter() {
      if (closed) {
        return false;
      }
      inside.incrementAndGet();
      return true;
    }

    @Override
    public void leave() {
      if (inside.decrementAndGet() == 0 && closed) {
        allLeft.countDown();
      }
    }

    @Override
    public boolean close() {
      closed = true;
      if (inside.get() == 0) {
        allLeft.countDown();
      }
      return true;
    }

    @Override
    public boolean awaitAllLeft() throws InterruptedException {
      return allLeft.await(1, TimeUnit.MINUTES);
    }
  }
}
