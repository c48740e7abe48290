package io.pgmesh.orchestrator.suite;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Runs a suite's threads side by side, with a bound on how long they may take together. */
final class Workers {

    private Workers() {
    }

    static void runAll(String suite, List<Runnable> workers, Duration limit) {
        ExecutorService pool = Executors.newFixedThreadPool(workers.size(), r -> {
            Thread t = new Thread(r, "pgmesh-" + suite);
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new java.util.ArrayList<>();
            workers.forEach(w -> futures.add(pool.submit(w)));
            long deadline = System.nanoTime() + limit.toNanos();
            for (Future<?> f : futures) {
                f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException(suite + " suite did not finish within " + limit.toSeconds() + " s", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(suite + " suite failed: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(suite + " suite interrupted", e);
        } finally {
            pool.shutdownNow();
        }
    }
}
