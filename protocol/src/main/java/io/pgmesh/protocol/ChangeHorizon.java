package io.pgmesh.protocol;

/**
 * Up to when a node's own changes are all committed: every change this node stamped before
 * {@code horizon} (its version triggers stamp with the node's clock) has committed or rolled back,
 * so its WAL position read after this answer covers it.
 *
 * @param node      the node
 * @param nodeIndex the node's index: the {@code modified_by}/{@code deleted_by} its changes carry
 * @param horizon   ISO-8601 instant in the node's clock (microseconds): the statement time of the read,
 *                  or the start of the oldest transaction still open, whichever is earlier
 * @param heldBy    the oldest open transaction when it holds the horizon back (pid, user, state, start), else null
 */
public record ChangeHorizon(String node, int nodeIndex, String horizon, String heldBy) {
}
