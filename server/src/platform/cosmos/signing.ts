import { sha256 } from "@cosmjs/crypto";
import { fromBech32, toHex } from "@cosmjs/encoding";
import { DirectSecp256k1HdWallet, type OfflineDirectSigner } from "@cosmjs/proto-signing";
import { SigningStargateClient, type MsgSendEncodeObject, type StdFee } from "@cosmjs/stargate";
import { TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";

// Building and signing Concord's Cosmos transactions. Pure: no network. The live anchor signs through
// these same functions (with its connected client), so the offline tests cover what goes on chain.

/** What a transaction needs to know about the chain, from configuration. */
export interface CosmosChain {
  chainId: string;
  /** The fee's and the transfers' denomination, e.g. "uatom". */
  denom: string;
  /** bech32 prefix of account addresses, e.g. "cosmos". */
  prefix: string;
  /** The fee of a one-message transaction: amount (in denom) and gas limit. */
  fee: { amount: string; gas: string };
}

/** The account's number and next sequence on the chain, as the chain reports them. */
export interface AccountState {
  /** A bigint: Cosmos SDK 0.53+ account numbers can exceed Number.MAX_SAFE_INTEGER. */
  accountNumber: bigint;
  sequence: number;
}

/** What the signature commits to besides the transaction: the account and the chain. */
export interface SignerData extends AccountState {
  chainId: string;
}

export interface SignedTx {
  /** The signer's address (the wallet's first account). */
  address: string;
  /** The protobuf TxRaw, ready to broadcast. */
  txBytes: Uint8Array;
  /** The id the chain will give it: upper-case hex SHA-256 of txBytes. */
  txHash: string;
}

/** Cosmos SDK x/auth's default MaxMemoCharacters (counted in bytes): a longer memo is refused by the chain. */
export const MAX_MEMO_BYTES = 256;
/** The smallest transfer: the anchor's only purpose is its memo. */
export const ANCHOR_AMOUNT = "1";
const MAX_PAYOUTS = 200;

export const walletFromMnemonic = (mnemonic: string, prefix: string): Promise<DirectSecp256k1HdWallet> =>
  DirectSecp256k1HdWallet.fromMnemonic(mnemonic, { prefix });

export const txHashOf = (txBytes: Uint8Array): string => toHex(sha256(txBytes)).toUpperCase();

/** The configured fee, scaled by the number of messages (each MsgSend costs about the same gas). */
export function feeFor(chain: CosmosChain, messages: number): StdFee {
  const times = BigInt(Math.max(1, messages));
  return {
    amount: [{ denom: chain.denom, amount: (BigInt(chain.fee.amount) * times).toString() }],
    gas: (BigInt(chain.fee.gas) * times).toString(),
  };
}

const send = (from: string, to: string, denom: string, amount: string): MsgSendEncodeObject => ({
  typeUrl: "/cosmos.bank.v1beta1.MsgSend",
  value: { fromAddress: from, toAddress: to, amount: [{ denom, amount }] },
});

/**
 * The anchor transaction's one message: the smallest MsgSend from the anchor account to itself.
 * A Cosmos tx must carry at least one message and the memo rides on the tx; a self-send is valid on
 * every Cosmos SDK chain (x/bank is always there), moves no value, and costs only the fee.
 */
export const anchorMessages = (address: string, denom: string): MsgSendEncodeObject[] => [send(address, address, denom, ANCHOR_AMOUNT)];

/** One MsgSend per reader, all in one transaction: they are paid together or not at all. */
export function payoutMessages(from: string, payouts: ReadonlyArray<{ address: string; amount: string }>, chain: CosmosChain): MsgSendEncodeObject[] {
  if (!payouts.length) throw new Error("a payout transaction needs at least one payout");
  if (payouts.length > MAX_PAYOUTS) throw new Error(`at most ${MAX_PAYOUTS} payouts fit in one transaction`);
  const seen = new Set<string>();
  return payouts.map((p, i) => {
    let prefix: string;
    try {
      // An explicit length limit (BIP-173's 90): @cosmjs/encoding 0.39's default (Infinity) is refused by its @scure/base.
      prefix = fromBech32(p.address, 90).prefix;
    } catch {
      throw new Error(`payout ${i}: ${JSON.stringify(p.address)} is not a bech32 address`);
    }
    if (prefix !== chain.prefix) throw new Error(`payout ${i}: address prefix "${prefix}" is not the chain's "${chain.prefix}"`);
    if (!/^[1-9][0-9]{0,30}$/.test(p.amount)) throw new Error(`payout ${i}: amount must be a positive integer of ${chain.denom}`);
    // Two payouts to one address are a bug upstream (a reader paid twice), not something to merge here.
    if (seen.has(p.address)) throw new Error(`payout ${i}: ${p.address} appears twice`);
    seen.add(p.address);
    return send(from, p.address, chain.denom, p.amount);
  });
}

/**
 * Signs messages with explicit signer data (no chain query), SIGN_MODE_DIRECT, and returns the
 * encoded TxRaw. `client` is SigningStargateClient.offline(wallet) offline, or the connected one.
 */
export async function signTx(
  client: SigningStargateClient,
  address: string,
  messages: readonly MsgSendEncodeObject[],
  fee: StdFee,
  memo: string,
  signer: SignerData,
): Promise<SignedTx> {
  if (Buffer.byteLength(memo, "utf8") > MAX_MEMO_BYTES) throw new Error(`the memo is longer than ${MAX_MEMO_BYTES} bytes`);
  const raw = await client.sign(address, messages, fee, memo, signer);
  const txBytes = TxRaw.encode(raw).finish();
  return { address, txBytes, txHash: txHashOf(txBytes) };
}

async function firstAddress(wallet: OfflineDirectSigner): Promise<string> {
  const [account] = await wallet.getAccounts();
  if (!account) throw new Error("the wallet has no account");
  return account.address;
}

/** The signed anchor transaction: a self-send carrying `memo`, with the configured fee. */
export async function signAnchorTx(
  wallet: OfflineDirectSigner,
  chain: CosmosChain,
  memo: string,
  account: AccountState,
  client?: SigningStargateClient,
): Promise<SignedTx> {
  const address = await firstAddress(wallet);
  const signer = { ...account, chainId: chain.chainId };
  return signTx(client ?? (await SigningStargateClient.offline(wallet)), address, anchorMessages(address, chain.denom), feeFor(chain, 1), memo, signer);
}

/** The signed payout transaction: one MsgSend per payout, fee scaled by their number. */
export async function signPayoutTx(
  wallet: OfflineDirectSigner,
  chain: CosmosChain,
  payouts: ReadonlyArray<{ address: string; amount: string }>,
  memo: string,
  account: AccountState,
  client?: SigningStargateClient,
): Promise<SignedTx> {
  const address = await firstAddress(wallet);
  const signer = { ...account, chainId: chain.chainId };
  const messages = payoutMessages(address, payouts, chain);
  return signTx(client ?? (await SigningStargateClient.offline(wallet)), address, messages, feeFor(chain, messages.length), memo, signer);
}
