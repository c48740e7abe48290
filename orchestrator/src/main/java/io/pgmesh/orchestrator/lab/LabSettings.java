package io.pgmesh.orchestrator.lab;

import io.pgmesh.orchestrator.cluster.UsageException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where and what the lab is.
 *
 * @param name   labels everything ({@code io.pgmesh.lab=<name>}), names the network and prefixes the containers
 * @param dir    the lab directory: certificates, host material, the generated sysconfig.json
 * @param subnet the lab network, a /24 written {@code a.b.c.0/24}: gateway .1, host hK at .(10+K)
 */
public record LabSettings(String name, Path dir, String subnet) {

    public static final String DEFAULT_NAME = "pgmesh-lab";
    public static final String DEFAULT_SUBNET = "172.29.10.0/24";
    /** Hosts h1..h9: one digit, addresses .11 to .19. */
    public static final int MAX_HOSTS = 9;

    public LabSettings {
        dir = dir.toAbsolutePath().normalize();
        if (!subnet.matches("(\\d{1,3}\\.){3}0/24")) {
            throw new UsageException("subnet", "'" + subnet + "' is not a /24 written a.b.c.0/24");
        }
    }

    /** The default lab (name pgmesh-lab, network 172.29.10.0/24) with its directory. */
    public static LabSettings defaults(Path dir) {
        return new LabSettings(DEFAULT_NAME, dir, DEFAULT_SUBNET);
    }

    /** The network's first three octets, e.g. {@code 172.29.10}. */
    String prefix() {
        return subnet.substring(0, subnet.lastIndexOf(".0/24"));
    }

    public String gateway() {
        return prefix() + ".1";
    }

    public String network() {
        return name;
    }

    /** Host hK (K in 1..9). */
    public LabHost host(int index) {
        return new LabHost("h" + index, index, prefix() + "." + (10 + index), name + "-h" + index);
    }

    /** Hosts h1..h{count}. */
    public List<LabHost> hosts(int count) {
        List<LabHost> hosts = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            hosts.add(host(i));
        }
        return hosts;
    }

    /** The host that runs Swarm's first manager and the registry. */
    public LabHost first() {
        return host(1);
    }
}
