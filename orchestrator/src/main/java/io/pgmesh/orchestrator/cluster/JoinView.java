package io.pgmesh.orchestrator.cluster;

import io.pgmesh.protocol.MeshNames;
import io.pgmesh.protocol.NodeStatus;
import io.pgmesh.protocol.SubscriptionInfo;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A join as the daemons report it: the joining node's status (null when it did not answer) and every
 * member's, members ordered by index (the first is the copy source). The join table's steps are judged
 * by it; pure.
 */
record JoinView(String joining, NodeStatus self, List<String> members, Map<String, NodeStatus> memberStatuses,
                List<String> tables) {

    JoinView {
        members = List.copyOf(members);
        memberStatuses = Map.copyOf(memberStatuses);
        tables = List.copyOf(tables);
    }

    boolean knowsItself() {
        return self != null && joining.equals(self.node());
    }

    boolean hasDatabase() {
        return self != null && self.database() != null;
    }

    boolean publishesEveryTable() {
        return self != null && tables.stream().allMatch(t -> self.publications().stream()
                .anyMatch(p -> p.name().equals(MeshNames.publication(joining, t))));
    }

    boolean subscribesTo(String peer) {
        return tables.stream().allMatch(t -> own(MeshNames.subscription(joining, peer, t)).isPresent());
    }

    boolean subscribesToSource() {
        return members.isEmpty() || subscribesTo(members.get(0));
    }

    boolean subscribesToEveryMember() {
        return members.stream().allMatch(this::subscribesTo);
    }

    /** Every table of the subscriptions to the source has finished its initial copy. */
    boolean copiedFromSource() {
        return members.isEmpty() || tables.stream().allMatch(t -> own(MeshNames.subscription(joining, members.get(0), t))
                .map(SubscriptionInfo::synced).orElse(false));
    }

    boolean everyOwnSubscriptionEnabled() {
        return members.stream().allMatch(m -> tables.stream().allMatch(t -> own(MeshNames.subscription(joining, m, t))
                .map(SubscriptionInfo::enabled).orElse(false)));
    }

    boolean everyMemberSubscribes() {
        return members.stream().allMatch(m -> tables.stream().allMatch(t -> memberSubscribes(m, t)));
    }

    long ownSubscriptions() {
        return members.stream().mapToLong(m -> tables.stream()
                .filter(t -> own(MeshNames.subscription(joining, m, t)).isPresent()).count()).sum();
    }

    long membersSubscribed() {
        return members.stream().mapToLong(m -> tables.stream().filter(t -> memberSubscribes(m, t)).count()).sum();
    }

    long expectedSubscriptions() {
        return (long) members.size() * tables.size();
    }

    private boolean memberSubscribes(String member, String table) {
        NodeStatus s = memberStatuses.get(member);
        String sub = MeshNames.subscription(member, joining, table);
        return s != null && s.subscriptions().stream().anyMatch(x -> sub.equals(x.name()));
    }

    private Optional<SubscriptionInfo> own(String subscription) {
        return self == null ? Optional.empty()
                : self.subscriptions().stream().filter(s -> subscription.equals(s.name())).findFirst();
    }
}
