package io.pgmesh.orchestrator.config;

/** An IPv4 network: a network address (no host bits) and a prefix length. {@link #toString()} is the CIDR. */
public record Ipv4Net(Ipv4Address network, int prefixLength) {

    /** Docker's default bridge network (docker0). */
    public static final Ipv4Net DOCKER0 = of("172.17.0.0/16");

    public Ipv4Net {
        if (network == null || prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("bad network " + network + "/" + prefixLength);
        }
        if ((network.bits() & ~mask(prefixLength)) != 0) {
            throw new IllegalArgumentException(network + " has host bits set for /" + prefixLength);
        }
    }

    /** Parses "a.b.c.d/n"; {@link IllegalArgumentException} when malformed or when host bits are set. */
    public static Ipv4Net of(String cidr) {
        int slash = cidr.indexOf('/');
        if (slash < 0 || !cidr.substring(slash + 1).matches("[0-9]{1,2}")) {
            throw new IllegalArgumentException("not a CIDR network: " + cidr);
        }
        return new Ipv4Net(Ipv4Address.of(cidr.substring(0, slash)), Integer.parseInt(cidr.substring(slash + 1)));
    }

    /** The mask of a prefix length as a 32-bit int (0 for /0). */
    public static int mask(int prefixLength) {
        return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
    }

    public Ipv4Address netmask() {
        return new Ipv4Address(mask(prefixLength));
    }

    /** The network address itself. */
    public Ipv4Address first() {
        return network;
    }

    /** The broadcast address. */
    public Ipv4Address last() {
        return new Ipv4Address(network.bits() | ~mask(prefixLength));
    }

    public boolean contains(Ipv4Address address) {
        return (address.bits() & mask(prefixLength)) == network.bits();
    }

    /** Whether the two networks share at least one address (e.g. against a live Docker network's subnet). */
    public boolean overlaps(Ipv4Net other) {
        return contains(other.network) || other.contains(network);
    }

    /** "a.b.c.d/n". */
    public String cidr() {
        return network + "/" + prefixLength;
    }

    @Override
    public String toString() {
        return cidr();
    }
}
