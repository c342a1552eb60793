package io.hellogrpc.server;

import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/** Collects a Channel call's replies and its end, as a generated client sees them. */
final class Replies implements StreamObserver<io.hellogrpc.api.proto.String> {
  final List<String> values = new CopyOnWriteArrayList<>();
  final AtomicReference<Throwable> error = new AtomicReference<>();
  final CountDownLatch done = new CountDownLatch(1);

  @Override
  public void onNext(io.hellogrpc.api.proto.String value) {
    values.add(value.getValue());
  }

  @Override
  public void onError(Throwable t) {
    error.set(t);
    done.countDown();
  }

  @Override
  public void onCompleted() {
    done.countDown();
  }
}
