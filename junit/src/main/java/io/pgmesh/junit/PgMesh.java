package io.pgmesh.junit;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs one pgmesh cluster for a JUnit 5 test class: started before the class's {@code @BeforeAll} methods, removed
 * after its {@code @AfterAll} methods, and injected as a {@link PgMeshCluster} parameter into the constructor,
 * lifecycle methods and test methods (also those of {@code @Nested} classes, which share it).
 *
 * <pre>{@code
 * @PgMesh(nodes = 2)
 * class OrderReplicationTest {
 *
 *     @Test
 *     void rowWrittenOnNode0IsReadOnNode1(PgMeshCluster mesh) throws Exception {
 *         try (Connection c = mesh.connection(0)) {
 *             c.createStatement().executeUpdate("INSERT INTO table1 (col2) VALUES ('x')");
 *         }
 *         mesh.awaitReplicated(Duration.ofSeconds(30));
 *         assertTrue(mesh.check());
 *     }
 * }
 * }</pre>
 *
 * <p>For settings the annotation does not offer (home directory, log sink), build a {@link PgMeshCluster} yourself
 * with {@link PgMeshCluster#builder()} in a {@code @BeforeAll} method and close it in {@code @AfterAll}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(PgMeshExtension.class)
public @interface PgMesh {

    /** How many nodes (at most the config's {@code scale.max_nodes}, 8 in the built-in config). */
    int nodes() default PgMeshCluster.DEFAULT_NODES;

    /** The cluster's name; empty: a generated {@code pgmesh-junit-<random>}. */
    String clusterName() default "";

    /** Path of a sysconfig.json of your own, relative to the working directory; empty: the built-in config. */
    String config() default "";

    /** Subnet of the built-in config, e.g. {@code "172.28.120.0/24"}; empty: the first free automatic one. */
    String subnet() default "";
}
