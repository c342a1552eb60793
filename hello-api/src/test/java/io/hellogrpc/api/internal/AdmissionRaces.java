package io.hellogrpc.api.internal;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Validate;

/**
 * Calls and closers on one {@link Admission}, for Lincheck ({@link AdmissionModelCheckTest}), as a
 * HelloClient uses it: a call that got in runs and leaves; a closer closes, waits until the calls
 * that got in have left, and stops what calls use (event loops, the timer) once the last has. A
 * call must never run after that stop, and the stop must have happened by the end.
 *
 * <p>{@link CheckThenAct} is the client's guard before the Admission: a closed flag checked, then
 * a count taken, in two steps.
 */
public class AdmissionRaces {
  private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);

  private final Guard guard;
  private volatile boolean closed;
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
      run();
      return "ran";
    } finally {
      guard.leave();
    }
  }

  @Operation
  public String close() throws InterruptedException {
    return closeFromHere();
  }

  /**
   * A call whose own thread closes, as a listener run on the thread of an openChat() may, and
   * then goes on (the session starts its call).
   */
  @Operation
  public String callThatCloses() throws InterruptedException {
    if (!guard.enter()) {
      return "refused";
    }
    try {
      String closed = closeFromHere();
      run();
      return closed;
    } finally {
      guard.leave();
    }
  }

  private void run() {
    if (stopped) {
      ranAfterStop++;
    }
  }

  private String closeFromHere() throws InterruptedException {
    if (!guard.close()) {
      return "closed already";
    }
    closed = true;
    if (!guard.awaitOthersLeft(System.nanoTime() + MINUTE)) {
      throw new AssertionError("the closer waited a minute for the calls let in");
    }
    guard.whenAllLeft(() -> stopped = true);
    return "closed";
  }

  @Validate
  public void validate() {
    if (ranAfterStop > 0) {
      throw new AssertionError(ranAfterStop + " call(s) ran after the closer stopped");
    }
    if (closed && !stopped) {
      throw new AssertionError("closed, every call has left, and nothing was stopped");
    }
  }

  interface Guard {
    boolean enter();

    void leave();

    boolean close();

    boolean awaitOthersLeft(long deadlineNanos) throws InterruptedException;

    void whenAllLeft(Runnable stop);
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
    public boolean awaitOthersLeft(long deadlineNanos) throws InterruptedException {
      return admission.awaitOthersLeft(deadlineNanos);
    }

    @Override
    public void whenAllLeft(Runnable stop) {
      admission.whenAllLeft(stop);
    }
  }

  /** Only for closers outside calls: it would wait for its own. */
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
    public boolean awaitOthersLeft(long deadlineNanos) throws InterruptedException {
      return allLeft.await(deadlineNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void whenAllLeft(Runnable stop) {
      stop.run(); // after awaitOthersLeft: it believes none is inside
    }
  }
}
