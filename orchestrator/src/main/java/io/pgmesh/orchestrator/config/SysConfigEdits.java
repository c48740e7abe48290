package io.pgmesh.orchestrator.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Edits of a sysconfig's text, for clusters side by side (tests, the JUnit API and the bench each
 * run on their own subnet, some with other node limits). Each works on the JSON text, so the result
 * can be written to a file for the CLI; everything it does not edit stays as written. Errors name
 * the source and the JSON path.
 */
public final class SysConfigEdits {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SysConfigEdits() {
    }

    /**
     * The config moved onto {@code subnet}: the selected network's subnet, netmask and netbits become the new
     * subnet's, and its gateway, host address and every part's range keep their offsets in it (172.28.5.10 on
     * 172.28.5.0/24 becomes 172.28.93.10 on 172.28.93.0/24). Throws {@link ConfigException} when the text has
     * no selected network, or when an address would fall outside the subnet.
     */
    public static String onSubnet(String json, Ipv4Net subnet, String source) {
        ObjectNode root = parse(json, source);
        int index = selectedNetwork(root, source, "to move onto " + subnet.cidr());
        String path = "system.networks[" + index + "].config.net";
        JsonNode net = root.path("system").path("networks").get(index).path("config").path("net");
        if (!(net.path("ipv4") instanceof ObjectNode ipv4)) {
            throw new ConfigException(source, List.of(path + ".ipv4: missing"));
        }
        List<String> problems = new ArrayList<>();
        Optional<Ipv4Address> from = Ipv4Address.parse(ipv4.path("subnet").asText(""));
        if (from.isEmpty()) {
            throw new ConfigException(source, List.of(path + ".ipv4.subnet: not an IPv4 address: "
                    + ipv4.path("subnet")));
        }
        Mover move = new Mover(from.get(), subnet, problems);
        ipv4.put("subnet", subnet.network().toString());
        ipv4.put("netmask", subnet.netmask().toString());
        ipv4.put("netbits", subnet.prefixLength());
        move.field(ipv4, "gateway", path + ".ipv4.gateway");
        move.field(ipv4, "hostaddress", path + ".ipv4.hostaddress");
        JsonNode parts = net.path("parts");
        for (int p = 0; p < parts.size(); p++) {
            if (parts.get(p).path("ipv4") instanceof ObjectNode range) {
                move.field(range, "start", path + ".parts[" + p + "].ipv4.start");
                move.field(range, "end", path + ".parts[" + p + "].ipv4.end");
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(source, problems);
        }
        return root.toPrettyString();
    }

    /**
     * The config with the selected network's {@code scale.min_nodes} set to {@code minNodes} (a cluster that
     * size may then grow by one node and shrink back). Loading the result still checks it against max_nodes.
     */
    public static String withMinNodes(String json, int minNodes, String source) {
        ObjectNode root = parse(json, source);
        int index = selectedNetwork(root, source, "to set min_nodes in");
        JsonNode config = root.path("system").path("networks").get(index).path("config");
        if (!(config.path("scale") instanceof ObjectNode scale)) {
            throw new ConfigException(source, List.of("system.networks[" + index + "].config.scale: missing"));
        }
        scale.put("min_nodes", minNodes);
        return root.toPrettyString();
    }

    private static ObjectNode parse(String json, String source) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (JsonProcessingException | ClassCastException e) {
            throw new ConfigException(source, List.of("not a JSON object: " + e.getMessage()));
        }
    }

    /** The index in system.networks of the network system.config.network selects. */
    private static int selectedNetwork(ObjectNode root, String source, String purpose) {
        String selected = root.path("system").path("config").path("network").asText(null);
        JsonNode networks = root.path("system").path("networks");
        for (int i = 0; i < networks.size(); i++) {
            if (networks.get(i).path("id").asText("").equals(selected)) {
                return i;
            }
        }
        throw new ConfigException(source, List.of("system.config.network: no entry of system.networks has id '"
                + selected + "', so there is no network " + purpose));
    }

    /** Moves addresses by their offset from the old subnet's network address. */
    private record Mover(Ipv4Address from, Ipv4Net to, List<String> problems) {

        void field(ObjectNode object, String name, String path) {
            if (!object.hasNonNull(name)) {
                return;
            }
            Optional<Ipv4Address> address = Ipv4Address.parse(object.path(name).asText(""));
            if (address.isEmpty()) {
                problems.add(path + ": not an IPv4 address: " + object.path(name));
                return;
            }
            long offset = address.get().unsigned() - from.unsigned();
            if (offset < 0 || offset >= 1L << (32 - to.prefixLength()) || !to.contains(to.network().plus(offset))) {
                problems.add(path + ": " + address.get() + " is " + offset + " addresses from " + from
                        + ", which falls outside " + to.cidr());
                return;
            }
            object.put(name, to.network().plus(offset).toString());
        }
    }
}
