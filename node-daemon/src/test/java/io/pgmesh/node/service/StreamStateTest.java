package io.pgmesh.node.service;

import io.pgmesh.protocol.SubscriptionInfo;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class StreamStateTest {

    private static final Instant NOW = Instant.parse("2026-11-27T16:00:00Z");
    private static final Duration BOUND = Duration.ofSeconds(8);
    private static final String LSN = "0/3000400";

    @Test
    void aDisabledSubscriptionIsDisabledWhateverItsWorker() {
        assertThat(StreamState.of(false, null, null, null, NOW, BOUND)).isEqualTo(SubscriptionInfo.DISABLED);
        assertThat(StreamState.of(false, 42, LSN, NOW, NOW, BOUND)).isEqualTo(SubscriptionInfo.DISABLED);
    }

    @Test
    void noWorkerIsStopped() {
        assertThat(StreamState.of(true, null, null, null, NOW, BOUND)).isEqualTo(SubscriptionInfo.STOPPED);
    }

    @Test
    void aWorkerThatReceivedNothingYetIsConnectingNotStreaming() {
        // what the reporter saw: the worker of a killed peer has a pid while it tries to connect
        assertThat(StreamState.of(true, 42, null, null, NOW, BOUND)).isEqualTo(SubscriptionInfo.CONNECTING);
        assertThat(StreamState.of(true, 42, LSN, null, NOW, BOUND)).isEqualTo(SubscriptionInfo.CONNECTING);
        assertThat(StreamState.of(true, 42, null, NOW, NOW, BOUND)).isEqualTo(SubscriptionInfo.CONNECTING);
        assertThat(StreamState.of(true, 42, null, null, NOW, null)).as("even without a bound")
                .isEqualTo(SubscriptionInfo.CONNECTING);
    }

    @Test
    void aWorkerThatHeardFromItsPeerWithinTheBoundIsStreaming() {
        assertThat(StreamState.of(true, 42, LSN, NOW, NOW, BOUND)).isEqualTo(SubscriptionInfo.STREAMING);
        assertThat(StreamState.of(true, 42, LSN, NOW.minusSeconds(5), NOW, BOUND)).isEqualTo(SubscriptionInfo.STREAMING);
        assertThat(StreamState.of(true, 42, LSN, NOW.minus(BOUND), NOW, BOUND)).as("at the bound")
                .isEqualTo(SubscriptionInfo.STREAMING);
        assertThat(StreamState.of(true, 42, LSN, NOW.plusMillis(3), NOW, BOUND)).as("a message after the clock read")
                .isEqualTo(SubscriptionInfo.STREAMING);
    }

    @Test
    void aWorkerWhoseLastMessageIsOlderThanTheBoundIsStalled() {
        assertThat(StreamState.of(true, 42, LSN, NOW.minus(BOUND).minusMillis(1), NOW, BOUND))
                .isEqualTo(SubscriptionInfo.STALLED);
        assertThat(StreamState.of(true, 42, LSN, NOW.minusSeconds(45), NOW, BOUND)).isEqualTo(SubscriptionInfo.STALLED);
        assertThat(StreamState.of(true, 42, LSN, NOW.minusSeconds(45), NOW, null)).as("no bound known: age proves nothing")
                .isEqualTo(SubscriptionInfo.STREAMING);
    }

    @Test
    void theBoundIsHalfTheReceiverTimeoutPlusSlackButNeverTheWholeTimeout() {
        assertThat(StreamState.staleAfter(10_000)).isEqualTo(Duration.ofSeconds(8));
        assertThat(StreamState.staleAfter(60_000)).as("PostgreSQL's default").isEqualTo(Duration.ofSeconds(33));
        assertThat(StreamState.staleAfter(4_000)).isEqualTo(Duration.ofSeconds(4));
        assertThat(StreamState.staleAfter(0)).as("timeout off").isNull();
        assertThat(StreamState.staleAfter(-1)).isNull();
    }

    @Test
    void theDaemonsReceiverTimeoutGivesABoundOfEightSeconds() {
        assertThat(io.pgmesh.node.pg.ServerConfig.WAL_RECEIVER_TIMEOUT).isEqualTo("10s");
        assertThat(StreamState.staleAfter(10_000)).isEqualTo(Duration.ofSeconds(8));
    }

    @Test
    void ageIsMillisecondsSinceTheLastMessageNeverNegative() {
        assertThat(StreamState.ageMillis(null, NOW)).isNull();
        assertThat(StreamState.ageMillis(NOW.minusMillis(12_345), NOW)).isEqualTo(12_345L);
        assertThat(StreamState.ageMillis(NOW.plusMillis(5), NOW)).isZero();
    }
}
