import protobuf from 'protobufjs';

/** One `pbbp2.Header`: a key and a value. */
export interface LarkFrameHeader {
  key: string;
  value: string;
}

/** One `pbbp2.Frame` of Lark's long connection: `method` 0 is a control frame (ping, pong), 1 a data frame. */
export interface LarkFrame {
  SeqID: number;
  LogID: number;
  service: number;
  method: number;
  headers: LarkFrameHeader[];
  payloadEncoding?: string;
  payloadType?: string;
  payload?: Uint8Array;
  LogIDNew?: string;
}

// The SDK's pbbp2.proto (proto2), field for field: what its bundled encoder writes and its decoder requires.
const root = protobuf.Root.fromJSON({
  nested: {
    pbbp2: {
      nested: {
        Header: { fields: { key: { rule: 'required', type: 'string', id: 1 }, value: { rule: 'required', type: 'string', id: 2 } } },
        Frame: {
          fields: {
            SeqID: { rule: 'required', type: 'uint64', id: 1 },
            LogID: { rule: 'required', type: 'uint64', id: 2 },
            service: { rule: 'required', type: 'int32', id: 3 },
            method: { rule: 'required', type: 'int32', id: 4 },
            headers: { rule: 'repeated', type: 'Header', id: 5 },
            payloadEncoding: { type: 'string', id: 6 },
            payloadType: { type: 'string', id: 7 },
            payload: { type: 'bytes', id: 8 },
            LogIDNew: { type: 'string', id: 9 },
          },
        },
      },
    },
  },
});
const Frame = root.lookupType('pbbp2.Frame');

/** Encodes a frame as the long connection carries it (one WebSocket binary message). */
export function encodeLarkFrame(frame: LarkFrame): Uint8Array {
  return Frame.encode(Frame.fromObject(frame)).finish();
}

/** Decodes one WebSocket binary message of the long connection. */
export function decodeLarkFrame(bytes: Uint8Array): LarkFrame {
  return Frame.toObject(Frame.decode(bytes), { longs: Number, defaults: true }) as unknown as LarkFrame;
}
