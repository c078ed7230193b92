import type { ChatClient } from "../chat/client.js";
import { ChatApiError } from "../chat/errors.js";
import { COMMUNITY_PREFIX } from "./ids.js";
import { quote } from "./input-error.js";
import type { Ledger } from "./ledger.js";
import { countGroups, joinedGroupsOf, listGroups, topicsOf } from "./listing.js";
import { AV_CHAT_ROOM, COMMUNITY, preflight, type GroupLookup } from "./preflight.js";
import type { Discovery, RecallSettings } from "./settings.js";
import type { Scope, SessionEvents } from "./types.js";

const MALFORMED = "not IDs the service could have made (printable ASCII, within the length limit)";

/** A group or topic to recall in, with what is known of its group. */
export interface Target {
  scope: Scope;
  lookup: GroupLookup | undefined;
  /** The senders to recall there, when not all of them: those found to be members. */
  senders?: string[];
}

/**
 * Where a run recalls, one group or topic at a time: the listed ones, looked up first when the
 * preflight is on; or, for a fan-out, every group of the app a page at a time (recalls start while
 * later pages are listed) or the listed groups and those each sender is a member of, with every
 * topic of each Community when asked.
 */
export function targetsOf(
  settings: RecallSettings,
  client: ChatClient,
  ledger: Ledger,
  events: SessionEvents,
): AsyncGenerator<Target> {
  const finder = new TargetFinder(settings, client, ledger, events);
  return settings.discover ? finder.discovered(settings.discover) : finder.listed();
}

class TargetFinder {
  constructor(
    private readonly settings: RecallSettings,
    private readonly client: ChatClient,
    private readonly ledger: Ledger,
    private readonly events: SessionEvents,
  ) {}

  async *listed(): AsyncGenerator<Target> {
    const lookups = await this.lookUp(this.settings.scopes);
    for (const scope of this.settings.scopes) yield { scope, lookup: lookups?.get(scope.group) };
  }

  async *discovered(discover: Discovery): AsyncGenerator<Target> {
    const groups = this.groupsOf(discover);
    if (!discover.everyTopic) return yield* groups;
    let communities = 0;
    let topics = 0;
    let malformed = 0;
    for await (const found of groups) {
      const { lookup } = found;
      if (!lookup?.found || lookup.type !== COMMUNITY) {
        yield found;
        continue;
      }
      communities++;
      try {
        const { identifier } = this.settings.connection;
        const listed = await topicsOf(this.client, found.scope.group, identifier, this.ledger.signals);
        topics += listed.topics.length;
        malformed += listed.malformed;
        if (listed.topics.length === 0) yield found;
        for (const topic of listed.topics) yield { ...found, scope: { group: found.scope.group, topic } };
      } catch (error) {
        if (!(error instanceof ChatApiError)) throw error;
        yield { ...found, lookup: { found: false, error } };
      }
    }
    this.events.notice?.(
      `Found ${topics} topic(s) in ${communities} Community group(s); a Community with none is recalled at group level.`,
    );
    if (malformed > 0) this.events.warning?.(`${malformed} listed topic ID(s) left out: ${MALFORMED}.`);
  }

  private async *groupsOf(discover: Discovery): AsyncGenerator<Target> {
    if (discover.groups === "all") {
      yield* this.everyGroup(discover);
      if (discover.joined)
        this.events.notice?.("Every group of the app was listed: the senders' joined groups are among them.");
      return;
    }
    yield* this.listedGroups(discover.groups);
    if (discover.joined) yield* this.joinedGroups(discover);
  }

  /**
   * The groups each sender is a member of that are not listed, by type, each with the senders that
   * are members: a sender is recalled only where it is one.
   */
  private async *joinedGroups(discover: Discovery): AsyncGenerator<Target> {
    const listed = new Set(discover.groups === "all" ? [] : discover.groups);
    const found = new Map<string, Target & { senders: string[] }>();
    let malformed = 0;
    const memberOfNone: string[] = [];
    for (const sender of this.settings.senders) {
      let memberships = 0;
      for (const type of discover.types) {
        const joined = await joinedGroupsOf(this.client, sender, type, this.ledger.signals);
        malformed += joined.malformed;
        memberships += joined.groups.length;
        for (const group of joined.groups) {
          if (listed.has(group) || discover.exclude.has(group)) continue;
          const target = found.get(group) ?? { scope: { group }, lookup: { found: true, type }, senders: [] };
          if (!target.senders.includes(sender)) target.senders.push(sender);
          found.set(group, target);
        }
      }
      if (memberships === 0) memberOfNone.push(sender);
    }
    if (memberOfNone.length > 0)
      this.events.warning?.(
        `${memberOfNone.length} sender(s) are members of no group of the types asked for: ${memberOfNone
          .slice(0, 10)
          .map((s) => quote(s))
          .join(", ")}${memberOfNone.length > 10 ? ", …" : ""}.`,
      );
    this.events.notice?.(`Found ${found.size} group(s) the senders are members of, besides the listed ones.`);
    if (malformed > 0) this.events.warning?.(`${malformed} joined group ID(s) left out: ${MALFORMED}.`);
    yield* found.values();
  }

  private async *everyGroup(discover: Discovery): AsyncGenerator<Target> {
    const { signals } = this.ledger;
    let excluded = 0;
    let malformed = 0;
    for (const type of discover.types) {
      let first = true;
      for await (const page of listGroups(this.client, type, signals)) {
        if (first) this.events.notice?.(`Found ${page.total} ${type} group(s).`);
        first = false;
        malformed += page.malformed;
        for (const group of page.groups) {
          if (discover.exclude.has(group)) excluded++;
          else yield { scope: { group }, lookup: { found: true, type } };
        }
      }
    }
    if (excluded > 0) this.events.notice?.(`${excluded} group(s) left out as excluded.`);
    if (malformed > 0) this.events.warning?.(`${malformed} listed group ID(s) left out: ${MALFORMED}.`);
    try {
      const avChatRooms = await countGroups(this.client, AV_CHAT_ROOM, signals);
      if (avChatRooms > 0)
        this.events.notice?.(`${avChatRooms} AVChatRoom group(s) are left out: they keep no history.`);
    } catch (error) {
      if (!(error instanceof ChatApiError)) throw error;
      this.events.warning?.(`AVChatRoom groups are left out, but counting them failed: ${error.message}`);
    }
  }

  /** Listed groups for every topic: their type from the preflight, or, without it, from the ID. */
  private async *listedGroups(groups: string[]): AsyncGenerator<Target> {
    const lookups = await this.lookUp(groups.map((group) => ({ group })));
    for (const group of groups) {
      const type = group.startsWith(COMMUNITY_PREFIX) ? COMMUNITY : "unknown";
      yield { scope: { group }, lookup: lookups?.get(group) ?? { found: true, type } };
    }
  }

  /** The preflight's lookups, when it is on; a refusal stops the run. */
  private async lookUp(scopes: readonly Scope[]): Promise<Map<string, GroupLookup> | undefined> {
    if (!this.settings.preflight) return undefined;
    const { lookups, refusal } = await preflight(this.client, scopes, this.ledger.signals);
    if (refusal) this.ledger.stop(refusal);
    return lookups;
  }
}
