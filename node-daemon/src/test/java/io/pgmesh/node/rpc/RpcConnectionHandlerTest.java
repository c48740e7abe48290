package io.pgmesh.node.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.pgmesh.protocol.NodeRpc;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.pgmesh.node.rpc.RpcServerTest.assertParseErrorWithNullId;
import static io.pgmesh.node.rpc.RpcServerTest.request;
import static org.assertj.core.api.Assertions.assertThat;

/** The connection's pipeline (frame decoder + handler) on an EmbeddedChannel: no socket, requests run inline. */
class RpcConnectionHandlerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final EmbeddedChannel channel = new EmbeddedChannel(new JsonFrameDecoder(RpcServer.MAX_FRAME_BYTES),
            new RpcConnectionHandler(new RpcDispatcher(JSON, new RpcServerTest.FakeNode(), NodeRpc.class,
                    new NodeErrorResolver(() -> "node7"), new SharedSecretGuard(RpcServerTest.SECRET, () -> "node7")),
                    Runnable::run));

    @Test
    void anIncompleteRequestAtEndOfInputIsAParseErrorWithNullIdThenTheChannelCloses() throws IOException {
        String truncated = "{\"jsonrpc\":\"2.0\",\"method\":";
        receive(truncated);
        assertThat(answers()).as("nothing is answered before the input ends").isEmpty();
        assertThat(channel.isOpen()).isTrue();

        endOfInput();

        List<JsonNode> answers = answers();
        assertThat(answers).hasSize(1);
        assertParseErrorWithNullId(answers.get(0));
        assertThat(answers.get(0).at("/error/message").asText()).contains("input ended inside a request")
                .contains(truncated.length() + " bytes");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void completeRequestsBeforeTheIncompleteOneAreAnsweredFirstInOrder() throws IOException {
        receive(request(1, "status") + "\n" + request(2, "status") + "{\"jsonrpc\":\"2.0\",\"id\":3,\"meth");
        endOfInput();

        List<JsonNode> answers = answers();
        assertThat(answers).hasSize(3);
        assertThat(answers.get(0).get("id").asInt()).isEqualTo(1);
        assertThat(answers.get(1).get("id").asInt()).isEqualTo(2);
        assertParseErrorWithNullId(answers.get(2));
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aCompleteRequestThenEndOfInputGetsItsAnswerAndNoError() throws IOException {
        receive(request(4, "status"));
        endOfInput();

        List<JsonNode> answers = answers();
        assertThat(answers).hasSize(1);
        assertThat(answers.get(0).get("id").asInt()).isEqualTo(4);
        assertThat(answers.get(0).at("/result/node").asText()).isEqualTo("node7");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void whitespaceAfterTheLastRequestIsNotAnError() throws IOException {
        receive(request(5, "status") + "\r\n \t\n");
        receive("   \n");
        endOfInput();

        List<JsonNode> answers = answers();
        assertThat(answers).hasSize(1);
        assertThat(answers.get(0).get("id").asInt()).isEqualTo(5);
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void endOfInputWithNothingSentClosesWithoutAnAnswer() throws IOException {
        endOfInput();

        assertThat(answers()).isEmpty();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aRequestSplitAcrossReadsIsStillOneRequest() throws IOException {
        String call = request(6, "status");
        receive(call.substring(0, 10));
        receive(call.substring(10));
        endOfInput();

        List<JsonNode> answers = answers();
        assertThat(answers).hasSize(1);
        assertThat(answers.get(0).get("id").asInt()).isEqualTo(6);
    }

    @Test
    void withoutEndOfInputAnIncompleteRequestWaitsForTheRest() throws IOException {
        receive("{\"jsonrpc\":\"2.0\",");
        assertThat(answers()).isEmpty();
        assertThat(channel.isOpen()).isTrue();

        receive("\"id\":7,\"auth\":\"" + RpcServerTest.SECRET + "\",\"method\":\"status\"}");
        List<JsonNode> answers = answers();
        assertThat(answers).hasSize(1);
        assertThat(answers.get(0).get("id").asInt()).isEqualTo(7);
        assertThat(channel.isOpen()).isTrue();
    }

    private void receive(String text) {
        channel.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
        channel.runPendingTasks();
    }

    /** What a socket does when the peer shuts down its output and half-closure is allowed. */
    private void endOfInput() {
        channel.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        channel.runPendingTasks();
    }

    /** Everything written so far, one JSON answer per '\n'-terminated line. */
    private List<JsonNode> answers() throws IOException {
        StringBuilder written = new StringBuilder();
        for (ByteBuf out = channel.readOutbound(); out != null; out = channel.readOutbound()) {
            written.append(out.toString(StandardCharsets.UTF_8));
            out.release();
        }
        List<JsonNode> answers = new ArrayList<>();
        if (!written.isEmpty()) {
            assertThat(written.toString()).endsWith("\n");
            for (String line : written.toString().split("\n")) {
                answers.add(JSON.readTree(line));
            }
        }
        return answers;
    }
}
