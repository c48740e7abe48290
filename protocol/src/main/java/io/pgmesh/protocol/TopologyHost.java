package io.pgmesh.protocol;

/** A member of the mesh: its name (e.g. node2), its index (key range, order) and its address. */
public record TopologyHost(String name, int index, String address) {
}
