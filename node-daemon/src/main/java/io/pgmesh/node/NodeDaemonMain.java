package io.pgmesh.node;

/** Placeholder entry point; replaced by the daemon implementation. */
public final class NodeDaemonMain {
    public static void main(String[] args) {
        throw new UnsupportedOperationException("not built yet");
    }
}
