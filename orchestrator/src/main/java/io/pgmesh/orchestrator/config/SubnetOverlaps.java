package io.pgmesh.orchestrator.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The configured subnet against the Docker networks that exist, before anything is created: the engine would
 * refuse an overlapping network only after secrets were written and the image built. Pure: the caller lists the
 * networks (every one except the cluster's own).
 */
public final class SubnetOverlaps {

    /**
     * A Docker network that is not the cluster's own.
     *
     * @param name    its name
     * @param subnets its IPAM subnets as the engine reports them (IPv6 or unparsable ones are ignored)
     */
    public record ExistingNetwork(String name, List<String> subnets) {
        public ExistingNetwork {
            Objects.requireNonNull(name, "name");
            subnets = subnets == null ? List.of() : subnets.stream().filter(Objects::nonNull).toList();
        }
    }

    private SubnetOverlaps() {
    }

    /** One problem ("json.path: reason") per existing network whose subnet overlaps the selected network's. */
    public static List<String> problems(NetworkConfig network, List<ExistingNetwork> existing) {
        List<String> problems = new ArrayList<>();
        for (ExistingNetwork other : existing) {
            for (String cidr : other.subnets()) {
                Optional<Ipv4Net> subnet = parse(cidr);
                if (subnet.isPresent() && subnet.get().overlaps(network.subnet())) {
                    problems.add(network.subnetPath() + ": " + network.subnet() + " overlaps Docker network '"
                            + other.name() + "' (" + subnet.get() + "); choose a free subnet");
                    break;
                }
            }
        }
        return problems;
    }

    /** {@link ConfigException} (naming the subnet's JSON path) when the selected network overlaps an existing one. */
    public static void check(SysConfig config, List<ExistingNetwork> existing) {
        List<String> problems = problems(config.selectedNetwork(), existing);
        if (!problems.isEmpty()) {
            throw new ConfigException(config.source(), problems);
        }
    }

    /**
     * An IPv4 subnet as Docker reports it ("a.b.c.d/n"); host bits, which the engine may keep (e.g. a subnet
     * given as 10.1.2.3/16), are cleared. Empty for IPv6 and anything unparsable.
     */
    static Optional<Ipv4Net> parse(String cidr) {
        if (cidr == null) {
            return Optional.empty();
        }
        String text = cidr.strip();
        int slash = text.indexOf('/');
        if (slash < 0 || !text.substring(slash + 1).matches("[0-9]{1,2}")) {
            return Optional.empty();
        }
        int bits = Integer.parseInt(text.substring(slash + 1));
        if (bits > 32) {
            return Optional.empty();
        }
        return Ipv4Address.parse(text.substring(0, slash))
                .map(a -> new Ipv4Net(new Ipv4Address(a.bits() & Ipv4Net.mask(bits)), bits));
    }
}
