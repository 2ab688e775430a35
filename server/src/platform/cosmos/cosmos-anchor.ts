import { decodeTxRaw, type DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { assertIsDeliverTxSuccess, SigningStargateClient, TimeoutError } from "@cosmjs/stargate";
import type { Secret } from "../../config.js";
import type { Anchor, AnchoredTx, AnchorReceipt } from "../anchor.js";
import { signAnchorTx, signPayoutTx, walletFromMnemonic, type AccountState, type CosmosChain, type SignedTx } from "./signing.js";

export interface CosmosAnchorOptions extends CosmosChain {
  rpcUrl: string;
  mnemonic: Secret;
  /** How long to wait for the transaction to land in a block before answering with height null. */
  inclusionTimeoutMs?: number;
}

interface Connection {
  wallet: DirectSecp256k1HdWallet;
  client: SigningStargateClient;
  address: string;
}

/**
 * Anchors on a Cosmos SDK chain through a CometBFT RPC endpoint. Signs with the same functions the
 * offline tests exercise (signing.ts), passing this connected client; the chain is only asked for
 * the account's number and sequence, to broadcast, and to read transactions back.
 */
export class CosmosAnchor implements Anchor {
  readonly name: string;
  private connection: Promise<Connection> | null = null;
  /** One transaction at a time from this process: two would race for one account sequence. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly opts: CosmosAnchorOptions) {
    this.name = `cosmos:${opts.chainId}`;
  }

  /** The anchor account's address (derived from the mnemonic; no network). */
  async address(): Promise<string> {
    const wallet = await walletFromMnemonic(this.opts.mnemonic.reveal(), this.opts.prefix);
    return (await wallet.getAccounts())[0]!.address;
  }

  private connect(): Promise<Connection> {
    return (this.connection ??= (async () => {
      const wallet = await walletFromMnemonic(this.opts.mnemonic.reveal(), this.opts.prefix);
      const [account] = await wallet.getAccounts();
      const client = await SigningStargateClient.connectWithSigner(this.opts.rpcUrl, wallet);
      // Signatures commit to the chain id: refuse an endpoint of another chain than configured.
      const chainId = await client.getChainId();
      if (chainId !== this.opts.chainId) {
        client.disconnect();
        throw new Error(`COSMOS_RPC_URL serves chain "${chainId}", but COSMOS_CHAIN_ID is "${this.opts.chainId}"`);
      }
      return { wallet, client, address: account!.address };
    })().catch((err: unknown) => {
      this.connection = null;
      throw err;
    }));
  }

  anchor(memo: string): Promise<AnchorReceipt> {
    return this.send((c, account) => signAnchorTx(c.wallet, this.opts, memo, account, c.client));
  }

  /** Pays readers: one MsgSend per payout, all in one transaction (issue 8). */
  sendPayouts(payouts: ReadonlyArray<{ address: string; amount: string }>, memo: string): Promise<AnchorReceipt> {
    return this.send((c, account) => signPayoutTx(c.wallet, this.opts, payouts, memo, account, c.client));
  }

  private send(sign: (c: Connection, account: AccountState) => Promise<SignedTx>): Promise<AnchorReceipt> {
    const run = this.queue.then(async () => {
      const c = await this.connect();
      const { accountNumber, sequence } = await c.client.getSequence(c.address);
      const tx = await sign(c, { accountNumber, sequence });
      try {
        const result = await c.client.broadcastTx(tx.txBytes, this.opts.inclusionTimeoutMs ?? 60_000);
        assertIsDeliverTxSuccess(result);
        return { txHash: result.transactionHash, height: result.height, chainId: this.opts.chainId };
      } catch (err) {
        // Accepted into the mempool but not yet in a block: the hash is known, the check fills the height.
        if (err instanceof TimeoutError) return { txHash: tx.txHash, height: null, chainId: this.opts.chainId };
        throw err;
      }
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  async readBack(txHash: string): Promise<AnchoredTx | null> {
    const { client } = await this.connect();
    const tx = await client.getTx(txHash);
    if (!tx) return null;
    return { memo: decodeTxRaw(tx.tx).body.memo, height: tx.height, succeeded: tx.code === 0 };
  }

  async close(): Promise<void> {
    const c = await this.connection?.catch(() => null);
    c?.client.disconnect();
    this.connection = null;
  }
}
