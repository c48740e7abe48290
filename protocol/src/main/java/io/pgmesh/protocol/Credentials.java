package io.pgmesh.protocol;

/** A PostgreSQL login. {@link #toString()} never shows the password. */
public record Credentials(String user, String password) {
    @Override
    public String toString() {
        return "Credentials[user=" + user + ", password=***]";
    }
}
