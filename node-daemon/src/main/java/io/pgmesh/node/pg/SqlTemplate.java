package io.pgmesh.node.pg;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The one way SQL text is rendered from a template: a {@code .sql} resource under
 * {@code src/main/resources/sql/} (or a short inline text) with named placeholders such as
 * {@code {table}}. Every value goes in through a typed setter, so identifiers are validated and
 * quoted by {@link Sql#ident}/{@link Sql#table}, string literals by {@link Sql#literal}, numbers are
 * numbers, and SQL pieces are other templates. All placeholders are replaced in one pass (a value is
 * never scanned for placeholders). {@link #render} fails, naming the template and the placeholder,
 * when a placeholder was given no value or a value was given for a placeholder the template lacks.
 * A resource's final newline is not part of the template.
 */
public final class SqlTemplate {

    /** A placeholder: lower-case name in braces. Nothing else in pgmesh's SQL looks like that. */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z][a-z0-9_]*)\\}");
    private static final Map<String, String> RESOURCES = new ConcurrentHashMap<>();

    private final String name;
    private final String text;
    private final Map<String, String> values = new LinkedHashMap<>();

    private SqlTemplate(String name, String text) {
        this.name = name;
        this.text = text;
    }

    /** The template in resource {@code sql/<path>}, e.g. {@code version_triggers/write.sql}. */
    public static SqlTemplate resource(String path) {
        String resource = "sql/" + path;
        return new SqlTemplate(resource, RESOURCES.computeIfAbsent(resource, SqlTemplate::read));
    }

    /** A short template written in Java (one line of a generated list, say). */
    public static SqlTemplate inline(String text) {
        return new SqlTemplate("inline template \"" + text + "\"", text);
    }

    /** A validated, double-quoted identifier ({@link Sql#ident}). */
    public SqlTemplate ident(String key, String identifier) {
        return put(key, Sql.ident(identifier));
    }

    /** A table (or function, sequence) of the replicated schema, schema-qualified ({@link Sql#table}). */
    public SqlTemplate table(String key, String table) {
        return put(key, Sql.table(table));
    }

    /** A string literal ({@link Sql#literal}). */
    public SqlTemplate literal(String key, String value) {
        return put(key, Sql.literal(value));
    }

    /** A whole number. */
    public SqlTemplate number(String key, long value) {
        return put(key, Long.toString(value));
    }

    /** Another template, rendered (it must be complete itself). */
    public SqlTemplate sql(String key, SqlTemplate piece) {
        return put(key, piece.render());
    }

    /** Several rendered templates joined by {@code separator} (plain text between them, no values). */
    public SqlTemplate sqlList(String key, List<SqlTemplate> pieces, String separator) {
        if (PLACEHOLDER.matcher(separator).find()) {
            throw new IllegalArgumentException(name + ": a separator must not look like a placeholder: " + separator);
        }
        return put(key, pieces.stream().map(SqlTemplate::render).collect(Collectors.joining(separator)));
    }

    /** The SQL with every placeholder replaced. */
    public String render() {
        Set<String> unused = new LinkedHashSet<>(values.keySet());
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder(text.length() + 256);
        while (m.find()) {
            String key = m.group(1);
            String value = values.get(key);
            if (value == null) {
                throw new IllegalStateException(name + ": no value for placeholder {" + key + "}");
            }
            unused.remove(key);
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        if (!unused.isEmpty()) {
            throw new IllegalStateException(name + ": no placeholder "
                    + unused.stream().map(k -> "{" + k + "}").collect(Collectors.joining(", ")) + " for the value(s) given");
        }
        return out.toString();
    }

    /**
     * The rendered template as the body (prosrc) of a function written {@code AS $pgmesh$<body>$pgmesh$}:
     * it starts on the line after the header and ends with a newline.
     */
    public String renderBody() {
        return "\n" + render() + "\n";
    }

    private SqlTemplate put(String key, String value) {
        if (!PLACEHOLDER.matcher("{" + key + "}").matches()) {
            throw new IllegalArgumentException(name + ": not a placeholder name: " + key);
        }
        if (values.putIfAbsent(key, value) != null) {
            throw new IllegalArgumentException(name + ": placeholder {" + key + "} given twice");
        }
        return this;
    }

    private static String read(String resource) {
        try (InputStream in = SqlTemplate.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("SQL template " + resource + " is not on the class path");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read SQL template " + resource, e);
        }
    }
}
