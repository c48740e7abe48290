package io.pgmesh.node.pg;

import io.pgmesh.protocol.SqlNames;
import io.pgmesh.protocol.SubscriptionOptions;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * SQL of subscriptions and replication slots: pure functions. Identifiers pass {@link Sql#ident};
 * slot names additionally pass {@link #slotNameProblem} (PostgreSQL allows only lower-case
 * letters, digits and '_' in them).
 */
public final class ReplicationSql {

    /** Output plugin of every slot pgmesh creates (what CREATE SUBSCRIPTION uses). */
    public static final String PLUGIN = "pgoutput";
    private static final Pattern SLOT_NAME = Pattern.compile("[a-z0-9_]{1,63}");

    private ReplicationSql() {
    }

    /** Why {@code name} cannot name a replication slot, or empty when it can. */
    public static Optional<String> slotNameProblem(String name) {
        Optional<String> problem = SqlNames.problem(name);
        if (problem.isPresent()) {
            return problem;
        }
        if (!SLOT_NAME.matcher(name).matches()) {
            return Optional.of("'" + name + "' is not a valid replication slot name (only lower-case letters,"
                    + " digits and '_')");
        }
        return Optional.empty();
    }

    /**
     * CREATE SUBSCRIPTION with origin = none. The default options render exactly as a mesh member's
     * subscription always did ({@code copy_data = false, origin = none}: its own slot, named after the
     * subscription, enabled); otherwise every option is spelled out.
     */
    public static String createSubscription(String subscription, String conninfo, String publication,
                                            SubscriptionOptions options) {
        String with;
        if (options.equals(SubscriptionOptions.DEFAULT)) {
            with = "copy_data = false, origin = none";
        } else {
            with = "copy_data = " + options.copyData()
                    + (options.existingSlot() == null ? ""
                    : ", create_slot = false, slot_name = " + Sql.literal(validSlot(options.existingSlot())))
                    + ", origin = none, enabled = " + options.enabled();
        }
        return "CREATE SUBSCRIPTION " + Sql.ident(subscription) + " CONNECTION " + Sql.literal(conninfo)
                + " PUBLICATION " + Sql.ident(publication) + " WITH (" + with + ")";
    }

    public static String enableSubscription(String subscription, boolean enabled) {
        return "ALTER SUBSCRIPTION " + Sql.ident(subscription) + (enabled ? " ENABLE" : " DISABLE");
    }

    /** Unties a (disabled) subscription from its remote slot, so DROP SUBSCRIPTION does not contact the peer. */
    public static String detachSlot(String subscription) {
        return "ALTER SUBSCRIPTION " + Sql.ident(subscription) + " SET (slot_name = NONE)";
    }

    public static String dropSubscription(String subscription) {
        return "DROP SUBSCRIPTION " + Sql.ident(subscription);
    }

    /** Creates a logical pgoutput slot; parameter 1: its name. Returns its consistent point as text. */
    public static String createLogicalSlot() {
        return "SELECT lsn::text FROM pg_create_logical_replication_slot(?, " + Sql.literal(PLUGIN) + ")";
    }

    /** Parameter 1: slot name. */
    public static String dropSlot() {
        return "SELECT pg_drop_replication_slot(?)";
    }

    /** Parameter 1: the pid of the walsender (or other backend) to end. */
    public static String terminateBackend() {
        return "SELECT pg_terminate_backend(?)";
    }

    /** The host of a libpq key=value conninfo (quoted or not), empty when it names none or cannot be read. */
    public static Optional<String> conninfoHost(String conninfo) {
        if (conninfo == null) {
            return Optional.empty();
        }
        int i = 0;
        int n = conninfo.length();
        while (i < n) {
            while (i < n && Character.isWhitespace(conninfo.charAt(i))) {
                i++;
            }
            int eq = conninfo.indexOf('=', i);
            if (i >= n || eq < 0) {
                return Optional.empty();
            }
            String key = conninfo.substring(i, eq).strip();
            i = eq + 1;
            while (i < n && Character.isWhitespace(conninfo.charAt(i))) {
                i++;
            }
            StringBuilder value = new StringBuilder();
            if (i < n && conninfo.charAt(i) == '\'') {
                i++;
                while (i < n && conninfo.charAt(i) != '\'') {
                    if (conninfo.charAt(i) == '\\' && i + 1 < n) {
                        i++;
                    }
                    value.append(conninfo.charAt(i++));
                }
                if (i >= n) {
                    return Optional.empty(); // unterminated quote
                }
                i++;
            } else {
                while (i < n && !Character.isWhitespace(conninfo.charAt(i))) {
                    value.append(conninfo.charAt(i++));
                }
            }
            if (key.equals("host")) {
                return value.isEmpty() ? Optional.empty() : Optional.of(value.toString());
            }
        }
        return Optional.empty();
    }

    private static String validSlot(String slot) {
        slotNameProblem(slot).ifPresent(p -> {
            throw new IllegalArgumentException("not a valid slot name: " + p);
        });
        return slot;
    }
}
