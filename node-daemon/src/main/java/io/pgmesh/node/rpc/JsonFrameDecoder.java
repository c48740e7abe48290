package io.pgmesh.node.rpc;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.json.JsonObjectDecoder;

import java.util.List;

/**
 * Frames requests by JSON structure, like {@link JsonObjectDecoder}, and also says what is left
 * when the input ends: bytes of a request that never closed come out as one
 * {@link IncompleteFrame} after the complete frames, so the connection can answer it (a parse
 * error) in order instead of dropping it silently. Whitespace between or after requests is not
 * a frame and is never reported.
 */
final class JsonFrameDecoder extends JsonObjectDecoder {

    /** The input ended inside a request; {@code bytes} of it had arrived. */
    record IncompleteFrame(int bytes) {
    }

    JsonFrameDecoder(int maxFrameBytes) {
        super(maxFrameBytes);
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        super.decodeLast(ctx, in, out);
        // JsonObjectDecoder consumes whitespace outside objects, so what it keeps is a started request;
        // the whitespace check only guards against counting bytes it did not get to look at
        int left = in.readableBytes();
        if (left > 0 && in.forEachByte(b -> Character.isWhitespace(b)) >= 0) {
            in.skipBytes(left);
            out.add(new IncompleteFrame(left));
        }
    }
}
