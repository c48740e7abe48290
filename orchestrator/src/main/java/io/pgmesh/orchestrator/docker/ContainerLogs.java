package io.pgmesh.orchestrator.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.LogContainerCmd;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** A container's log: its last lines (the evidence attached to failures), or a stream of it ({@code pgmesh logs}). */
public final class ContainerLogs {

    /** A log line and when the container wrote it (null when Docker gave no time). */
    public record LogLine(Instant time, String text) {
    }

    private ContainerLogs() {
    }

    /** Up to {@code lines} last lines of stdout and stderr; empty when they cannot be read. */
    public static List<String> tail(DockerClient docker, String containerId, int lines) {
        List<String> out = new ArrayList<>();
        try (ResultCallback.Adapter<Frame> callback = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Frame frame) {
                String text = new String(frame.getPayload(), StandardCharsets.UTF_8);
                synchronized (out) {
                    Arrays.stream(text.split("\n")).filter(l -> !l.isBlank()).forEach(out::add);
                }
            }
        }) {
            docker.logContainerCmd(containerId).withStdOut(true).withStdErr(true).withTail(lines).exec(callback);
            callback.awaitCompletion(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return List.of();
        }
        synchronized (out) {
            return List.copyOf(out.subList(Math.max(0, out.size() - lines), out.size()));
        }
    }

    /**
     * Streams the container's stdout and stderr, interleaved as written, line by line: the last {@code tail} lines
     * (all when null), then with {@code follow} every new line until the container stops. A follow stream that
     * ends while the container still runs is opened again from the last line's time, without repeating lines: a
     * safety net for a client read timeout (the client's response timeout is 10 minutes). On the local unix socket
     * a stream that stayed quiet for 11 minutes was not cut, so there it has not been seen to trigger.
     */
    public static void stream(DockerClient docker, String containerId, Integer tail, boolean follow,
                              Consumer<LogLine> sink) throws InterruptedException {
        Resume resume = new Resume();
        boolean first = true;
        while (true) {
            LogContainerCmd cmd = docker.logContainerCmd(containerId).withStdOut(true).withStdErr(true)
                    .withTimestamps(true).withFollowStream(follow);
            if (first && tail != null) {
                cmd.withTail(tail);
            } else if (!first && resume.last != null) {
                cmd.withSince((int) resume.last.getEpochSecond());
            }
            Consumer<LogLine> filtered = first ? resume.recording(sink) : resume.skippingSeen(sink);
            Throwable failure = read(cmd::exec, filtered);
            if (!follow) {
                if (failure != null) {
                    throw new DockerOperationException(DockerOperationException.Kind.OTHER,
                            "reading the log of container " + containerId + " failed: "
                                    + DockerEngine.rootMessage(failure), failure);
                }
                return;
            }
            if (!stillRunning(docker, containerId)) {
                return;
            }
            first = false;
            Thread.sleep(200); // the stream ended under a running container: reopen, but never in a tight loop
        }
    }

    /**
     * Streams a Swarm service's log (its tasks' stdout and stderr, through a manager) line by line: the last
     * {@code tail} lines (all when null), then with {@code follow} every new line until the service is removed or
     * the stream ends.
     */
    public static void streamService(DockerClient manager, String serviceId, Integer tail, boolean follow,
                                     Consumer<LogLine> sink) throws InterruptedException {
        com.github.dockerjava.api.command.LogSwarmObjectCmd cmd = manager.logServiceCmd(serviceId).withStdout(true)
                .withStderr(true).withTimestamps(true).withFollow(follow);
        if (tail != null) {
            cmd.withTail(tail);
        }
        Throwable failure = read(cmd::exec, sink);
        if (failure != null) {
            throw new DockerOperationException(DockerOperationException.Kind.OTHER, "reading the log of service "
                    + serviceId + " failed: " + DockerEngine.rootMessage(failure), failure);
        }
    }

    private static boolean stillRunning(DockerClient docker, String containerId) {
        try {
            return Boolean.TRUE.equals(docker.inspectContainerCmd(containerId).exec().getState().getRunning());
        } catch (com.github.dockerjava.api.exception.NotFoundException e) {
            return false; // removed while followed ('pgmesh down')
        }
    }

    /**
     * Reads one log request (a container's or a service's: {@code request} starts it with the callback) to its end;
     * returns what ended it abnormally, null when it completed.
     */
    private static Throwable read(Consumer<ResultCallback.Adapter<Frame>> request, Consumer<LogLine> sink)
            throws InterruptedException {
        Throwable[] failure = {null};
        Lines lines = new Lines(sink);
        ResultCallback.Adapter<Frame> callback = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Frame frame) {
                lines.accept(frame.getStreamType(), frame.getPayload());
            }

            @Override
            public void onError(Throwable throwable) {
                failure[0] = throwable;
                super.onError(throwable);
            }
        };
        try (callback) {
            request.accept(callback);
            callback.awaitCompletion();
        } catch (java.io.IOException e) {
            // closing the callback: nothing left to read
        } catch (RuntimeException e) {
            failure[0] = e;
        }
        lines.finish();
        return failure[0];
    }

    /** Where a stream stopped: the last line's time and how many lines with exactly that time were passed on. */
    static final class Resume {
        Instant last;
        int atLast;

        Consumer<LogLine> recording(Consumer<LogLine> sink) {
            return line -> {
                record(line);
                sink.accept(line);
            };
        }

        /** After reopening from {@code last}'s second: lines older than it, and the ones at it already seen, are dropped. */
        Consumer<LogLine> skippingSeen(Consumer<LogLine> sink) {
            Instant before = last;
            int[] toSkip = {atLast};
            return line -> {
                if (before != null && line.time() != null) {
                    int cmp = line.time().compareTo(before);
                    if (cmp < 0 || (cmp == 0 && toSkip[0]-- > 0)) {
                        return;
                    }
                }
                record(line);
                sink.accept(line);
            };
        }

        private void record(LogLine line) {
            if (line.time() == null) {
                return;
            }
            if (line.time().equals(last)) {
                atLast++;
            } else {
                last = line.time();
                atLast = 1;
            }
        }
    }

    /**
     * Docker frames to lines: a frame can hold several lines or part of one (even part of a UTF-8 character), so
     * bytes are kept per stream until a newline. Each line starts with Docker's RFC 3339 timestamp and a space.
     */
    static final class Lines {
        private final Consumer<LogLine> sink;
        private final Map<StreamType, ByteArrayOutputStream> pending = new EnumMap<>(StreamType.class);

        Lines(Consumer<LogLine> sink) {
            this.sink = sink;
        }

        synchronized void accept(StreamType stream, byte[] payload) {
            ByteArrayOutputStream buffer = pending.computeIfAbsent(stream == null ? StreamType.RAW : stream,
                    k -> new ByteArrayOutputStream());
            for (byte b : payload) {
                if (b == '\n') {
                    emit(buffer);
                } else {
                    buffer.write(b);
                }
            }
        }

        /** Passes on what is left without a newline. */
        synchronized void finish() {
            pending.values().forEach(b -> {
                if (b.size() > 0) {
                    emit(b);
                }
            });
        }

        private void emit(ByteArrayOutputStream buffer) {
            String text = buffer.toString(StandardCharsets.UTF_8);
            buffer.reset();
            if (text.endsWith("\r")) {
                text = text.substring(0, text.length() - 1);
            }
            sink.accept(parse(text));
        }

        static LogLine parse(String text) {
            int space = text.indexOf(' ');
            if (space > 0) {
                try {
                    return new LogLine(Instant.parse(text.substring(0, space)), text.substring(space + 1));
                } catch (DateTimeParseException e) {
                    // not a timestamp: the whole line is text
                }
            } else if (space < 0 && text.endsWith("Z")) {
                try {
                    return new LogLine(Instant.parse(text), "");
                } catch (DateTimeParseException e) {
                    // not a timestamp
                }
            }
            return new LogLine(null, text);
        }
    }
}
