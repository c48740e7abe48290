package io.pgmesh.tests;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/**
 * Random and mutated JSON-RPC frames for fuzzing a daemon, reproducible from a seed. Frames that
 * carry the right secret call only read-only methods; calls that would change the node carry no
 * secret or a wrong one, so whatever the mutations make of them must be refused.
 */
final class RpcFuzzFrames {

    private final Random random;
    private final List<String> seeds;

    RpcFuzzFrames(long seed, String secret, String database, String table) {
        this.random = new Random(seed);
        String auth = "\"auth\":\"" + secret + "\",";
        String wrong = "\"auth\":\"" + secret.substring(0, secret.length() - 1) + "!\",";
        this.seeds = List.of(
                "{" + auth + "\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"status\"}",
                "{" + auth + "\"jsonrpc\":\"2.0\",\"id\":\"p\",\"method\":\"replicationProgress\",\"params\":{}}",
                "{" + auth + "\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"digestTable\",\"params\":{\"request\":"
                        + "{\"database\":\"" + database + "\",\"table\":\"" + table + "\",\"buckets\":16}}}",
                "{" + auth + "\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"rowHashes\",\"params\":{\"request\":"
                        + "{\"database\":\"" + database + "\",\"table\":\"" + table + "\",\"buckets\":[1,2]}}}",
                "{" + auth + "\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"explainRow\",\"params\":{\"request\":"
                        + "{\"database\":\"" + database + "\",\"table\":\"" + table + "\",\"id\":1}}}",
                "{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"initDatabase\",\"params\":{\"database\":{\"name\":\"x\","
                        + "\"owner\":{\"user\":\"o\",\"password\":\"p\"}}}}",
                "{" + wrong + "\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"updateNetworkTopology\",\"params\":"
                        + "{\"topology\":{\"cluster\":\"c\",\"nodeName\":\"node9\",\"nodeIndex\":9,\"hosts\":[]}}}",
                "{" + wrong + "\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"createReplicaTable\",\"params\":{\"request\":"
                        + "{\"database\":\"" + database + "\",\"table\":{\"name\":\"t; DROP TABLE x\"}}}}",
                "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"dropSlot\",\"params\":{\"request\":{\"database\":\""
                        + database + "\",\"slotName\":\"s\"}}}",
                "{" + wrong + "\"jsonrpc\":\"2.0\",\"id\":10,\"method\":\"repairRows\",\"params\":{\"request\":{}}}");
    }

    /** The next frame: a seed, a mutated seed, a splice, or garbage. */
    byte[] next() {
        int kind = random.nextInt(100);
        if (kind < 8) {
            return bytes(seed());
        }
        if (kind < 14) {
            return garbage(random.nextInt(200));
        }
        if (kind < 18) {
            return bytes(structural());
        }
        byte[] frame = bytes(kind < 24 ? seed() + seed() : seed());
        int mutations = 1 + random.nextInt(4);
        for (int i = 0; i < mutations; i++) {
            frame = mutate(frame);
        }
        return frame;
    }

    private String seed() {
        return seeds.get(random.nextInt(seeds.size()));
    }

    private byte[] mutate(byte[] frame) {
        if (frame.length == 0) {
            return garbage(10);
        }
        int at = random.nextInt(frame.length);
        switch (random.nextInt(6)) {
            case 0 -> { // flip bits of one byte
                byte[] copy = frame.clone();
                copy[at] ^= (byte) (1 << random.nextInt(8));
                return copy;
            }
            case 1 -> { // truncate
                return java.util.Arrays.copyOf(frame, at);
            }
            case 2 -> { // insert a JSON-significant or hostile byte sequence
                String[] tokens = {"{", "}", "[", "]", "\"", ":", ",", "\\", "null", "-1e999", "\u0000", "\uFFFF",
                        "\"id\":{}", "\"method\":42", "\"params\":[1,2]", "\"jsonrpc\":\"1.0\"", "'; DROP TABLE x; --"};
                return splice(frame, at, at, bytes(tokens[random.nextInt(tokens.length)]));
            }
            case 3 -> { // delete a span
                int end = Math.min(frame.length, at + 1 + random.nextInt(16));
                return splice(frame, at, end, new byte[0]);
            }
            case 4 -> { // duplicate a span
                int end = Math.min(frame.length, at + 1 + random.nextInt(32));
                return splice(frame, end, end, java.util.Arrays.copyOfRange(frame, at, end));
            }
            default -> { // random bytes in place, including invalid UTF-8
                byte[] copy = frame.clone();
                int n = 1 + random.nextInt(4);
                for (int i = 0; i < n && at + i < copy.length; i++) {
                    copy[at + i] = (byte) random.nextInt(256);
                }
                return copy;
            }
        }
    }

    /** Valid JSON of the wrong shape: deep nesting, wrong types, huge numbers, batches. */
    private String structural() {
        return switch (random.nextInt(7)) {
            case 0 -> "[".repeat(2000) + "]".repeat(2000);
            case 1 -> "{\"jsonrpc\":\"2.0\",\"id\":" + "9".repeat(400) + ",\"method\":\"status\"}";
            case 2 -> "[" + seed() + "," + seed() + "]";
            case 3 -> "{\"jsonrpc\":\"2.0\",\"id\":[1],\"method\":\"status\"}";
            case 4 -> "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"status\",\"params\":" + "{\"a\":".repeat(500)
                    + "1" + "}".repeat(500) + "}";
            case 5 -> "\"just a string\"";
            default -> "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + "x".repeat(5000) + "\"}";
        };
    }

    private byte[] garbage(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private static byte[] splice(byte[] frame, int from, int to, byte[] insert) {
        byte[] out = new byte[frame.length - (to - from) + insert.length];
        System.arraycopy(frame, 0, out, 0, from);
        System.arraycopy(insert, 0, out, from, insert.length);
        System.arraycopy(frame, to, out, from + insert.length, frame.length - to);
        return out;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
