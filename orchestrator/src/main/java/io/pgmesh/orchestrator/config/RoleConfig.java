package io.pgmesh.orchestrator.config;

import io.pgmesh.protocol.Credentials;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A PostgreSQL role from {@code system.config.roles}. The password is optional: when absent one is generated
 * per cluster elsewhere. {@link #toString()} never shows the password.
 */
public record RoleConfig(String id, Optional<String> password) {

    public RoleConfig {
        Objects.requireNonNull(id, "id");
        password = password == null ? Optional.empty() : password;
    }

    /** Credentials with the configured password, or with {@code generated} when none is configured. */
    public Credentials credentials(Supplier<String> generated) {
        return new Credentials(id, password.orElseGet(generated));
    }

    @Override
    public String toString() {
        return "RoleConfig[id=" + id + ", password=" + (password.isPresent() ? "***" : "<generated>") + "]";
    }
}
