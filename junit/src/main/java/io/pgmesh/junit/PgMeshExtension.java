package io.pgmesh.junit;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The extension behind {@link PgMesh @PgMesh}: starts the cluster the annotation describes before the annotated
 * class's tests, closes it after them, and resolves {@link PgMeshCluster} parameters. Use it through the annotation.
 */
public final class PgMeshExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(PgMeshExtension.class);
    private static final String KEY = "cluster";

    @Override
    public void beforeAll(ExtensionContext context) {
        if (owns(context)) {
            cluster(context);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (owns(context)) {
            PgMeshCluster cluster = context.getStore(NAMESPACE).remove(KEY, PgMeshCluster.class);
            if (cluster != null) {
                cluster.close();
            }
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == PgMeshCluster.class;
    }

    @Override
    public PgMeshCluster resolveParameter(ParameterContext parameter, ExtensionContext context) {
        for (Optional<ExtensionContext> c = Optional.of(context); c.isPresent(); c = c.get().getParent()) {
            if (owns(c.get())) {
                return cluster(c.get());
            }
        }
        throw new ParameterResolutionException("no @PgMesh on " + context.getRequiredTestClass().getName()
                + " or an enclosing class: nothing to inject into " + parameter.getParameter());
    }

    /** Whether {@code context} is the class context of a class annotated with {@code @PgMesh} (or a subclass). */
    private static boolean owns(ExtensionContext context) {
        return context.getTestMethod().isEmpty() && context.getTestClass()
                .map(c -> AnnotationSupport.isAnnotated(c, PgMesh.class)).orElse(false);
    }

    /**
     * The class's cluster, started on first use: in {@code beforeAll}, or earlier when a per-class test instance's
     * constructor asks for it.
     */
    private static PgMeshCluster cluster(ExtensionContext classContext) {
        PgMesh spec = AnnotationSupport.findAnnotation(classContext.getRequiredTestClass(), PgMesh.class).orElseThrow();
        return classContext.getStore(NAMESPACE).getOrComputeIfAbsent(KEY, key -> builder(spec).start(),
                PgMeshCluster.class);
    }

    static PgMeshCluster.Builder builder(PgMesh spec) {
        PgMeshCluster.Builder builder = PgMeshCluster.builder().nodes(spec.nodes());
        if (!spec.clusterName().isEmpty()) {
            builder.clusterName(spec.clusterName());
        }
        if (!spec.config().isEmpty()) {
            builder.config(Path.of(spec.config()));
        }
        if (!spec.subnet().isEmpty()) {
            builder.subnet(spec.subnet());
        }
        return builder;
    }
}
