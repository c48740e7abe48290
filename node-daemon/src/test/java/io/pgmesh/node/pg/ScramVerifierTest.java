package io.pgmesh.node.pg;

import org.junit.jupiter.api.Test;

import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

class ScramVerifierTest {

    /** Made by PostgreSQL 17: CREATE ROLE scramcheck PASSWORD 'pencil' with scram-sha-256. */
    private static final String FROM_POSTGRES = "SCRAM-SHA-256$4096:nyAEpmMjgLmOQOkdhuz1+g=="
            + "$xHlnXTz6ZemeNZWY6fLixfRrCWchIg2xAcQxk0rOtR0=:DcsVRs6PUTPJDnoVxl+gP482A7D90fg0XRHIupP2mec=";

    @Test
    void acceptsTheRightPasswordForAVerifierMadeByPostgres() {
        assertThat(ScramVerifier.matches(FROM_POSTGRES, "pencil")).isTrue();
        assertThat(ScramVerifier.matches(FROM_POSTGRES, "pencil ")).isFalse();
        assertThat(ScramVerifier.matches(FROM_POSTGRES, "Pencil")).isFalse();
    }

    @Test
    void computesTheSameVerifierPostgresDoesForTheSameSalt() {
        byte[] salt = Base64.getDecoder().decode("nyAEpmMjgLmOQOkdhuz1+g==");
        assertThat(ScramVerifier.compute("pencil", salt, 4096)).isEqualTo(FROM_POSTGRES);
    }

    @Test
    void roundTripsComputedVerifiersWithFreshSalts() {
        String a = ScramVerifier.compute("s3cret'\\pw");
        String b = ScramVerifier.compute("s3cret'\\pw");
        assertThat(a).isNotEqualTo(b).startsWith("SCRAM-SHA-256$4096:");
        assertThat(ScramVerifier.matches(a, "s3cret'\\pw")).isTrue();
        assertThat(ScramVerifier.matches(b, "s3cret'\\pw")).isTrue();
        assertThat(ScramVerifier.matches(a, "other")).isFalse();
    }

    @Test
    void rejectsTamperedOtherFormatsAndMissingVerifiers() {
        String tampered = FROM_POSTGRES.replace("xHln", "xHlm");
        assertThat(ScramVerifier.matches(tampered, "pencil")).isFalse();
        assertThat(ScramVerifier.matches("md5a3556571e93b0d20722ba62be61e8c2d", "pencil")).isFalse();
        assertThat(ScramVerifier.matches(null, "pencil")).isFalse();
        assertThat(ScramVerifier.matches("SCRAM-SHA-256$4096:!!$x:y", "pencil")).isFalse();
    }
}
