package io.pgmesh.orchestrator.config;

/** A named, inclusive range of addresses inside a network (a "part" of the sysconfig). */
public record AddressRange(String id, Ipv4Address start, Ipv4Address end) {

    public AddressRange {
        if (start == null || end == null || start.compareTo(end) > 0) {
            throw new IllegalArgumentException("bad range " + start + ".." + end);
        }
    }

    public long size() {
        return end.unsigned() - start.unsigned() + 1;
    }

    public boolean contains(Ipv4Address address) {
        return start.compareTo(address) <= 0 && address.compareTo(end) <= 0;
    }

    public boolean overlaps(AddressRange other) {
        return start.compareTo(other.end) <= 0 && other.start.compareTo(end) <= 0;
    }

    /** The {@code index}-th address (0-based); {@link IllegalArgumentException} outside the range. */
    public Ipv4Address address(long index) {
        if (index < 0 || index >= size()) {
            throw new IllegalArgumentException("index " + index + " is outside range " + this);
        }
        return start.plus(index);
    }

    @Override
    public String toString() {
        return id + "[" + start + ".." + end + "]";
    }
}
