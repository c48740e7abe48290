package io.pgmesh.orchestrator.config;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An IPv4 address; {@link #toString()} gives the dotted quad. Ordered as unsigned 32-bit numbers. */
public record Ipv4Address(int bits) implements Comparable<Ipv4Address> {

    private static final String OCTET = "(0|[1-9][0-9]{0,2})";
    private static final Pattern DOTTED = Pattern.compile(OCTET + "\\." + OCTET + "\\." + OCTET + "\\." + OCTET);

    /** A strict dotted quad (no leading zeros, no surrounding blanks), or empty. */
    public static Optional<Ipv4Address> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher m = DOTTED.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        int bits = 0;
        for (int i = 1; i <= 4; i++) {
            int octet = Integer.parseInt(m.group(i));
            if (octet > 255) {
                return Optional.empty();
            }
            bits = (bits << 8) | octet;
        }
        return Optional.of(new Ipv4Address(bits));
    }

    /** Like {@link #parse} but throws {@link IllegalArgumentException} for a malformed address. */
    public static Ipv4Address of(String text) {
        return parse(text).orElseThrow(() -> new IllegalArgumentException("not an IPv4 address: " + text));
    }

    public long unsigned() {
        return Integer.toUnsignedLong(bits);
    }

    /** The address {@code n} further on; {@link IllegalArgumentException} past 255.255.255.255 or below 0.0.0.0. */
    public Ipv4Address plus(long n) {
        long value = unsigned() + n;
        if (value < 0 || value > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException(this + " + " + n + " is not an IPv4 address");
        }
        return new Ipv4Address((int) value);
    }

    @Override
    public int compareTo(Ipv4Address other) {
        return Integer.compareUnsigned(bits, other.bits);
    }

    @Override
    public String toString() {
        return ((bits >>> 24) & 0xFF) + "." + ((bits >>> 16) & 0xFF) + "." + ((bits >>> 8) & 0xFF) + "." + (bits & 0xFF);
    }
}
