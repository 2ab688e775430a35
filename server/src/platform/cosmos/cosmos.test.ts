import { createHash } from "node:crypto";
import { inspect } from "node:util";
import { encodeSecp256k1Pubkey, makeCosmoshubPath, pubkeyToAddress } from "@cosmjs/amino";
import { ripemd160, Secp256k1, Secp256k1Signature, sha256 } from "@cosmjs/crypto";
import { toBech32 } from "@cosmjs/encoding";
import { decodeTxRaw, DirectSecp256k1HdWallet, makeSignBytes, makeSignDoc } from "@cosmjs/proto-signing";
import { MsgSend } from "cosmjs-types/cosmos/bank/v1beta1/tx";
import { PubKey } from "cosmjs-types/cosmos/crypto/secp256k1/keys";
import { TxBody, TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../config.js";
import { schedulesFor } from "../../jobs/registry.js";
import { CosmosAnchor } from "./cosmos-anchor.js";
import { MAX_MEMO_BYTES, signAnchorTx, signPayoutTx, walletFromMnemonic, type CosmosChain, type SignedTx } from "./signing.js";

// Generated once with DirectSecp256k1HdWallet.generate(24) for these tests. It holds no funds on any
// chain and must never be used for one; it only makes the signatures below reproducible.
const TEST_MNEMONIC =
  "canyon amateur cactus eternal fault grape hub hip remember brand senior tongue differ wasp grab east section protect practice stand tool find cloth rail";

const CHAIN: CosmosChain = { chainId: "concord-test-1", denom: "ustake", prefix: "cosmos", fee: { amount: "5000", gas: "200000" } };
const ACCOUNT = { accountNumber: 42n, sequence: 7 };
const MEMO = `concord-ledger:v1:concord.test/ledger:12:${"ab".repeat(32)}`;

/** Checks the transaction's signature as a validator would: over SHA-256 of the SignDoc rebuilt for `chainId` and `accountNumber`. */
function verifies(tx: { bodyBytes: Uint8Array; authInfoBytes: Uint8Array; signature: Uint8Array; pubkey: Uint8Array }, chainId: string, accountNumber: bigint): boolean {
  const signBytes = makeSignBytes(makeSignDoc(tx.bodyBytes, tx.authInfoBytes, chainId, accountNumber));
  return Secp256k1.verifySignature(Secp256k1Signature.fromFixedLength(tx.signature), sha256(signBytes), tx.pubkey);
}

/** Takes a signed TxRaw apart with the protobuf types alone, as a chain would. */
function open(signed: SignedTx) {
  const raw = TxRaw.decode(signed.txBytes);
  const decoded = decodeTxRaw(signed.txBytes);
  expect(raw.signatures).toHaveLength(1);
  expect(decoded.authInfo.signerInfos).toHaveLength(1);
  const signerInfo = decoded.authInfo.signerInfos[0]!;
  expect(signerInfo.publicKey?.typeUrl).toBe("/cosmos.crypto.secp256k1.PubKey");
  const pubkey = PubKey.decode(signerInfo.publicKey!.value).key;
  return {
    decoded,
    sequence: signerInfo.sequence,
    pubkey,
    sends: decoded.body.messages.map((m) => {
      expect(m.typeUrl).toBe("/cosmos.bank.v1beta1.MsgSend");
      return MsgSend.decode(m.value);
    }),
    sig: { bodyBytes: raw.bodyBytes, authInfoBytes: raw.authInfoBytes, signature: raw.signatures[0]!, pubkey },
  };
}

describe("signing Cosmos transactions offline", () => {
  it("signs an anchor: a 1-unit self-send whose memo, fee, signer, sequence and chain id verify", async () => {
    const wallet = await walletFromMnemonic(TEST_MNEMONIC, CHAIN.prefix);
    const [account] = await wallet.getAccounts();
    const signed = await signAnchorTx(wallet, CHAIN, MEMO, ACCOUNT);
    expect(signed.address).toBe(account!.address);
    expect(signed.txHash).toBe(createHash("sha256").update(signed.txBytes).digest("hex").toUpperCase());

    const tx = open(signed);
    expect(tx.decoded.body.memo).toBe(MEMO);
    expect(tx.sends).toEqual([{ fromAddress: signed.address, toAddress: signed.address, amount: [{ denom: "ustake", amount: "1" }] }]);
    expect(tx.decoded.authInfo.fee?.amount).toEqual([{ denom: "ustake", amount: "5000" }]);
    expect(tx.decoded.authInfo.fee?.gasLimit).toBe(200000n);
    expect(tx.sequence).toBe(7n);
    // The signer: the public key in authInfo is the wallet's account, by address.
    expect(pubkeyToAddress(encodeSecp256k1Pubkey(tx.pubkey), "cosmos")).toBe(signed.address);
    expect(toBech32("cosmos", ripemd160(sha256(tx.pubkey)))).toBe(signed.address);

    // The signature commits to the chain id and account number: right ones verify, others do not.
    expect(verifies(tx.sig, CHAIN.chainId, 42n)).toBe(true);
    expect(verifies(tx.sig, "cosmoshub-4", 42n)).toBe(false);
    expect(verifies(tx.sig, CHAIN.chainId, 43n)).toBe(false);
    // A tampered memo (body re-encoded with another root) no longer verifies.
    const body = TxBody.decode(tx.sig.bodyBytes);
    const tampered = TxBody.encode({ ...body, memo: MEMO.replace(/ab$/, "ac") }).finish();
    expect(verifies({ ...tx.sig, bodyBytes: tampered }, CHAIN.chainId, 42n)).toBe(false);
    // Another key's signature does not verify for this public key.
    const other = open(await signAnchorTx(await walletFromMnemonic(TEST_MNEMONIC, "osmo"), { ...CHAIN, prefix: "osmo" }, MEMO, ACCOUNT));
    expect(verifies({ ...tx.sig, pubkey: other.pubkey.map((b, i) => (i === 5 ? b ^ 1 : b)) }, CHAIN.chainId, 42n)).toBe(false);
  });

  it("signs deterministically (RFC 6979), so a retried signature of the same tx is the same tx", async () => {
    const wallet = await walletFromMnemonic(TEST_MNEMONIC, CHAIN.prefix);
    const a = await signAnchorTx(wallet, CHAIN, MEMO, ACCOUNT);
    const b = await signAnchorTx(wallet, CHAIN, MEMO, ACCOUNT);
    const c = await signAnchorTx(wallet, CHAIN, MEMO, { ...ACCOUNT, sequence: 8 });
    expect(a.txHash).toBe(b.txHash);
    expect(c.txHash).not.toBe(a.txHash);
  });

  it("refuses a memo the chain would refuse", async () => {
    const wallet = await walletFromMnemonic(TEST_MNEMONIC, CHAIN.prefix);
    await expect(signAnchorTx(wallet, CHAIN, "x".repeat(MAX_MEMO_BYTES), ACCOUNT)).resolves.toBeTruthy();
    await expect(signAnchorTx(wallet, CHAIN, "x".repeat(MAX_MEMO_BYTES + 1), ACCOUNT)).rejects.toThrow(/memo/);
    await expect(signAnchorTx(wallet, CHAIN, "é".repeat(MAX_MEMO_BYTES / 2 + 1), ACCOUNT)).rejects.toThrow(/memo/);
  });

  it("pays several readers in one multi-message transaction, signed the same way", async () => {
    const wallet = await walletFromMnemonic(TEST_MNEMONIC, CHAIN.prefix);
    // Readers: other accounts of the same test mnemonic (m/44'/118'/0'/0/1..3).
    const readerWallet = await DirectSecp256k1HdWallet.fromMnemonic(TEST_MNEMONIC, { prefix: "cosmos", hdPaths: [1, 2, 3].map(makeCosmoshubPath) });
    const readers = (await readerWallet.getAccounts()).map((a) => a.address);
    expect(new Set(readers).size).toBe(3);
    const payouts = readers.map((address, i) => ({ address, amount: String((i + 1) * 1000) }));
    const signed = await signPayoutTx(wallet, CHAIN, payouts, "concord-reward:v1:epoch-3", ACCOUNT);
    const tx = open(signed);
    expect(tx.decoded.body.memo).toBe("concord-reward:v1:epoch-3");
    expect(tx.sends).toEqual(payouts.map((p) => ({ fromAddress: signed.address, toAddress: p.address, amount: [{ denom: "ustake", amount: p.amount }] })));
    // The fee and gas scale with the messages.
    expect(tx.decoded.authInfo.fee?.amount).toEqual([{ denom: "ustake", amount: "15000" }]);
    expect(tx.decoded.authInfo.fee?.gasLimit).toBe(600000n);
    expect(pubkeyToAddress(encodeSecp256k1Pubkey(tx.pubkey), "cosmos")).toBe(signed.address);
    expect(verifies(tx.sig, CHAIN.chainId, 42n)).toBe(true);
    expect(verifies(tx.sig, "other-1", 42n)).toBe(false);

    const bad: Array<[Array<{ address: string; amount: string }>, RegExp]> = [
      [[], /at least one/],
      [[{ address: readers[0]!, amount: "0" }], /positive integer/],
      [[{ address: readers[0]!, amount: "1.5" }], /positive integer/],
      [[{ address: "cosmos1notanaddress", amount: "1" }], /bech32/],
      [[{ address: readers[0]!.replace(/^cosmos/, "osmo"), amount: "1" }], /bech32|prefix/],
      [[payouts[0]!, { ...payouts[0]!, amount: "5" }], /twice/],
    ];
    for (const [p, message] of bad) await expect(signPayoutTx(wallet, CHAIN, p, "m", ACCOUNT), JSON.stringify(p)).rejects.toThrow(message);
    // An address of another chain's prefix (valid bech32) is refused by prefix.
    const osmo = (await (await walletFromMnemonic(TEST_MNEMONIC, "osmo")).getAccounts())[0]!.address;
    await expect(signPayoutTx(wallet, CHAIN, [{ address: osmo, amount: "1" }], "m", ACCOUNT)).rejects.toThrow(/prefix "osmo"/);
  });
});

describe("Cosmos configuration", () => {
  const env = { COSMOS_RPC_URL: "http://127.0.0.1:26657", COSMOS_CHAIN_ID: "concord-test-1" };

  it("fails fast when anchoring is on without a mnemonic or chain id, and never shows the mnemonic", () => {
    expect(loadConfig({}).cosmos).toBeNull();
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(/COSMOS_RPC_URL is set .* COSMOS_MNEMONIC is missing/);
    expect(() => loadConfig({ ...env, COSMOS_CHAIN_ID: "", COSMOS_MNEMONIC: TEST_MNEMONIC })).toThrow(/COSMOS_CHAIN_ID is missing/);
    // A mnemonic with a wrong checksum (last word swapped) is refused without repeating it.
    const wrong = TEST_MNEMONIC.replace(/rail$/, "cloth");
    let message = "";
    try {
      loadConfig({ ...env, COSMOS_MNEMONIC: wrong });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/COSMOS_MNEMONIC: must be a valid BIP-39/);
    expect(message).not.toMatch(/canyon|amateur|cactus/);
    expect(() => loadConfig({ ...env, COSMOS_MNEMONIC: TEST_MNEMONIC, COSMOS_RPC_URL: "tcp://x" })).toThrow(/COSMOS_RPC_URL/);
    expect(() => loadConfig({ ...env, COSMOS_MNEMONIC: TEST_MNEMONIC, COSMOS_FEE: "1.5" })).toThrow(/COSMOS_FEE/);
  });

  it("keeps the mnemonic out of JSON and inspection, and schedules anchoring only when configured", () => {
    const config = loadConfig({ ...env, COSMOS_MNEMONIC: `  ${TEST_MNEMONIC.replace(/ /g, "  ")} `, COSMOS_DENOM: "ustake", LEDGER_ANCHOR_EVERY_MS: "600000" });
    expect(config.cosmos).toMatchObject({ rpcUrl: env.COSMOS_RPC_URL, chainId: "concord-test-1", denom: "ustake", prefix: "cosmos", fee: { amount: "5000", gas: "200000" } });
    expect(config.cosmos!.mnemonic.reveal()).toBe(TEST_MNEMONIC);
    for (const shown of [JSON.stringify(config), inspect(config, { depth: 10 }), String(config.cosmos!.mnemonic), `${JSON.stringify({ ...config.cosmos })}`]) {
      expect(shown).not.toContain("canyon");
    }
    expect(schedulesFor(config).find((s) => s.name === "ledger.anchor")).toEqual({ name: "ledger.anchor", everyMs: 600000, payload: {} });
    expect(schedulesFor(loadConfig({})).map((s) => s.name)).not.toContain("ledger.anchor");
  });

  it("names the chain and derives the anchor address without touching the network", async () => {
    const config = loadConfig({ ...env, COSMOS_MNEMONIC: TEST_MNEMONIC });
    const anchor = new CosmosAnchor(config.cosmos!);
    expect(anchor.name).toBe("cosmos:concord-test-1");
    const [account] = await (await walletFromMnemonic(TEST_MNEMONIC, "cosmos")).getAccounts();
    expect(await anchor.address()).toBe(account!.address);
    await anchor.close();
  });
});

// No chain can run on these machines: this runs only against a real endpoint, with a funded account,
// given COSMOS_RPC_URL, COSMOS_MNEMONIC and COSMOS_CHAIN_ID (and COSMOS_DENOM, COSMOS_PREFIX as needed).
describe.skipIf(!process.env.COSMOS_RPC_URL)("anchoring on a live Cosmos chain (only with COSMOS_RPC_URL)", () => {
  it("writes a memo, lands in a block, and reads the same memo back", async () => {
    const config = loadConfig(process.env);
    const anchor = new CosmosAnchor({ ...config.cosmos!, inclusionTimeoutMs: 120_000 });
    try {
      const memo = `concord-ledger:v1:live-test/ledger:1:${createHash("sha256").update(String(Date.now())).digest("hex")}`;
      const receipt = await anchor.anchor(memo);
      expect(receipt.chainId).toBe(config.cosmos!.chainId);
      expect(receipt.txHash).toMatch(/^[0-9A-F]{64}$/);
      let back = await anchor.readBack(receipt.txHash);
      for (let i = 0; !back && i < 30; i++) {
        await new Promise((r) => setTimeout(r, 2000));
        back = await anchor.readBack(receipt.txHash);
      }
      expect(back).toMatchObject({ memo, succeeded: true });
      if (receipt.height !== null) expect(back!.height).toBe(receipt.height);
    } finally {
      await anchor.close();
    }
  }, 300_000);
});
