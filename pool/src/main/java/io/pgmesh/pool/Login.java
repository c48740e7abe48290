package io.pgmesh.pool;

/** Database credentials of one {@link GroupRole}. {@link #toString()} never shows the password. */
public record Login(String user, String password) {

    public Login {
        if (user == null || user.isBlank()) {
            throw new IllegalArgumentException("login user must not be blank");
        }
    }

    @Override
    public String toString() {
        return "Login[user=" + user + ", password=" + (password == null ? "<none>" : "****") + "]";
    }
}
