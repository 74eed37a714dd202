import type { DataCommunication } from '../config.ts';
import { addr, systemOfContentUrl, type McId } from '../protocol/identity.ts';
import type { DataSetupType, MessageOf } from '../protocol/messages.ts';
import type { Attempt, Leg } from './call-book.ts';
import { CalleeCalls } from './callee.ts';

/** The payload of an SDS (A25): of a standalone one, and of the one sent in an SDS session. */
const SDS_PAYLOAD = 200;

/** What an attempt's set-up request carries whatever the communication. */
interface Common {
  callId: string;
  target: McId;
  caller: McId;
  e2ee: boolean;
  kmsUri?: string;
}

/** The communication a set-up request opens at its callee. */
const kindOf = (m: MessageOf<DataSetupType>): DataCommunication =>
  m.type === 'SdsSessionRequest' ? 'sds-session' : m.type === 'IpconRequest' ? 'ipcon' : m.url ? 'fd-http' : 'fd-media';

/** Whether a communication stays up until released (and `hangUpAfter` releases it). */
export const holdsSession = (data: DataCommunication | undefined): boolean =>
  data === 'sds-session' || data === 'ipcon';

/**
 * One-to-one MCData communications at one client (23.282): the standalone SDS (7.4.2.2), the SDS
 * session (7.4.2.5), file distribution over HTTP (7.5.2.4) and over the media plane (7.5.2.5), and
 * point-to-point IP connectivity (7.14.2.2). Their set-up, redirection, E2EE preparation and release
 * are those of private calls (private-calls.ts, call-release.ts); this layer adds what is MCData's
 * own: the upload before an FD over HTTP, the callee's acceptance, what the media plane carries,
 * the download and its completed report.
 */
export class DataCommunications extends CalleeCalls {
  /** Step 1 of the communication's procedure: the request towards the callee. */
  protected sendDataRequest(a: Attempt, common: Common): void {
    const c = this.client;
    switch (a.req.data ?? 'sds') {
      case 'sds':
        return c.send(c.server, { type: 'SdsMessage', ...common, payloadBytes: SDS_PAYLOAD });
      case 'sds-session':
        return c.send(c.server, { type: 'SdsSessionRequest', ...common });
      case 'ipcon':
        return c.send(c.server, { type: 'IpconRequest', ...common });
      default:
        return c.send(c.server, {
          type: 'FdRequest',
          ...common,
          fileBytes: a.req.fileBytes ?? 0,
          ...(a.url === undefined ? {} : { url: a.url }),
        });
    }
  }

  /** An FD over HTTP whose file is not on a content server yet (7.5.2.4.2 pre-condition 2). */
  protected needsUpload(a: Attempt): boolean {
    return a.req.data === 'fd-http' && a.url === undefined;
  }

  /**
   * 23.282 7.5.2.2: the file goes by HTTP POST to the content server of the UE's system (folded
   * into its MC service server, A48), which answers with the content reference.
   */
  protected upload(a: Attempt, then: () => void, fail: () => void): void {
    const c = this.client;
    c.request(
      c.server,
      { type: 'FileUploadRequest', procId: this.ctx.nextId('proc'), mcId: c.currentId, bytes: a.req.fileBytes ?? 0 },
      (r) => {
        if (a.state !== 'preparing') return;
        a.url = (r as MessageOf<'FileUploadResponse'>).url;
        then();
      },
      fail,
    );
  }

  /**
   * The callee's side (7.4.2.5.2, 7.5.2.4.2, 7.5.2.5.2, 7.14.2.2.2): after the E2EE checks of
   * 33.180 E.3 the callee accepts at once, as a mandatory download does (A49).
   */
  protected onIncomingSession(m: MessageOf<DataSetupType>): void {
    const c = this.client;
    const data = kindOf(m);
    this.addLeg({
      callId: m.callId,
      role: 'callee',
      peer: m.caller,
      service: 'mcdata',
      server: c.server,
      state: 'pending',
      data,
      ...(m.type === 'FdRequest' ? { fileBytes: m.fileBytes } : {}),
    });
    if (m.e2ee) c.work('eccsi-verify', () => c.work('sakke-decapsulate', () => this.acceptSession(m)));
    else this.acceptSession(m);
  }

  private acceptSession(m: MessageOf<DataSetupType>): void {
    if (this.accept(m) && m.type === 'FdRequest' && m.url !== undefined) this.download(m.callId, m.url);
  }

  /** 23.282 7.5.2.3: HTTP GET of the content reference from the content server that holds it. */
  private download(callId: string, url: string): void {
    const c = this.client;
    const system = systemOfContentUrl(url) ?? c.serving;
    c.request(
      addr.server(system),
      { type: 'FileDownloadRequest', procId: this.ctx.nextId('proc'), mcId: c.currentId, url },
      (r) => {
        const leg = this.leg(callId);
        if (leg?.state !== 'part of ongoing call') return;
        if ((r as MessageOf<'FileDownloadResponse'>).found) this.reportDownload(leg);
        else this.releaseLeg(callId);
      },
      // A download that never completes ends the distribution from the callee's side.
      () => void this.releaseLeg(callId),
    );
  }

  /** 7.5.2.4.2 / 7.5.2.5.2: the download completed report, back to the sender along the dialog. */
  private reportDownload(leg: Leg): void {
    this.client.send(leg.server, { type: 'DownloadCompletedReport', callId: leg.callId, target: leg.peer });
  }

  /** The communication is established at its originator: the media plane carries the SDS or the file. */
  protected dataEstablished(a: Attempt): void {
    const leg = this.leg(a.callId);
    if (leg === undefined) return;
    const content = a.req.data === 'fd-media' ? 'file' : a.req.data === 'sds-session' ? 'sds' : undefined;
    if (content === undefined) return;
    const bytes = content === 'file' ? (a.req.fileBytes ?? 0) : SDS_PAYLOAD;
    this.client.send(leg.server, { type: 'MsrpSend', callId: a.callId, target: leg.peer, content, bytes });
  }

  /** 24.582 MSRP SEND: a received file is reported downloaded; an SDS gets its disposition notification. */
  protected onMedia(m: MessageOf<'MsrpSend'>, leg: Leg | undefined): void {
    if (leg?.state !== 'part of ongoing call') return;
    if (m.content === 'file') return this.reportDownload(leg);
    if (m.content === 'sds')
      this.client.send(leg.server, {
        type: 'MsrpSend',
        callId: leg.callId,
        target: leg.peer,
        content: 'disposition',
        bytes: 0,
      });
  }

  /**
   * The sender has the download completed report: the file is delivered, and the sender ends the
   * distribution with the communication release of 7.7.2.2.2 (A49).
   */
  protected onDownloadReport(leg: Leg | undefined): void {
    if (leg?.role !== 'caller' || leg.state !== 'part of ongoing call') return;
    const c = this.client;
    if (leg.attempt !== undefined) c.emit({ type: 'fileDelivered', key: leg.attempt.key, at: c.now });
    this.releaseLeg(leg.callId);
  }
}
