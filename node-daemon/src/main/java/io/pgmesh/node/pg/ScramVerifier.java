package io.pgmesh.node.pg;

import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.text.Normalizer;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PostgreSQL's SCRAM-SHA-256 password verifiers
 * ({@code SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>}): checks a password against
 * pg_authid.rolpassword and computes verifiers so plain passwords never appear in SQL text.
 */
public final class ScramVerifier {

    public static final int DEFAULT_ITERATIONS = 4096;
    private static final Pattern FORMAT = Pattern.compile(
            "SCRAM-SHA-256\\$(\\d{1,9}):([A-Za-z0-9+/=]+)\\$([A-Za-z0-9+/=]+):([A-Za-z0-9+/=]+)");
    private static final SecureRandom RANDOM = new SecureRandom();

    private ScramVerifier() {
    }

    /** Whether {@code verifier} (may be null or another format, e.g. md5) accepts {@code password}. */
    public static boolean matches(String verifier, String password) {
        if (verifier == null || password == null) {
            return false;
        }
        Matcher m = FORMAT.matcher(verifier);
        if (!m.matches()) {
            return false;
        }
        try {
            int iterations = Integer.parseInt(m.group(1));
            byte[] salt = Base64.getDecoder().decode(m.group(2));
            byte[] storedKey = Base64.getDecoder().decode(m.group(3));
            byte[] serverKey = Base64.getDecoder().decode(m.group(4));
            Keys keys = Keys.derive(password, salt, iterations);
            return MessageDigest.isEqual(storedKey, keys.storedKey) && MessageDigest.isEqual(serverKey, keys.serverKey);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** A fresh verifier with a random 16-byte salt. */
    public static String compute(String password) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return compute(password, salt, DEFAULT_ITERATIONS);
    }

    public static String compute(String password, byte[] salt, int iterations) {
        Keys keys = Keys.derive(password, salt, iterations);
        Base64.Encoder b64 = Base64.getEncoder();
        return "SCRAM-SHA-256$" + iterations + ":" + b64.encodeToString(salt) + "$"
                + b64.encodeToString(keys.storedKey) + ":" + b64.encodeToString(keys.serverKey);
    }

    private record Keys(byte[] storedKey, byte[] serverKey) {

        static Keys derive(String password, byte[] salt, int iterations) {
            try {
                // SASLprep is mostly NFKC; ASCII passwords are unchanged either way.
                String prepared = Normalizer.normalize(password, Normalizer.Form.NFKC);
                SecretKeyFactory pbkdf2 = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
                byte[] salted = pbkdf2.generateSecret(
                        new PBEKeySpec(prepared.toCharArray(), salt, iterations, 256)).getEncoded();
                byte[] clientKey = hmac(salted, "Client Key");
                byte[] storedKey = MessageDigest.getInstance("SHA-256").digest(clientKey);
                return new Keys(storedKey, hmac(salted, "Server Key"));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("SCRAM-SHA-256 is not available in this JVM", e);
            }
        }

        private static byte[] hmac(byte[] key, String text) throws GeneralSecurityException {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        }
    }
}
