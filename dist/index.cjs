/******/ (() => { // webpackBootstrap
/******/ 	var __webpack_modules__ = ({

/***/ 914:
/***/ (function(__unused_webpack_module, exports, __nccwpck_require__) {

"use strict";

var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || function (mod) {
    if (mod && mod.__esModule) return mod;
    var result = {};
    if (mod != null) for (var k in mod) if (k !== "default" && Object.prototype.hasOwnProperty.call(mod, k)) __createBinding(result, mod, k);
    __setModuleDefault(result, mod);
    return result;
};
Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.issue = exports.issueCommand = void 0;
const os = __importStar(__nccwpck_require__(857));
const utils_1 = __nccwpck_require__(302);
/**
 * Commands
 *
 * Command Format:
 *   ::name key=value,key=value::message
 *
 * Examples:
 *   ::warning::This is the message
 *   ::set-env name=MY_VAR::some value
 */
function issueCommand(command, properties, message) {
    const cmd = new Command(command, properties, message);
    process.stdout.write(cmd.toString() + os.EOL);
}
exports.issueCommand = issueCommand;
function issue(name, message = '') {
    issueCommand(name, {}, message);
}
exports.issue = issue;
const CMD_STRING = '::';
class Command {
    constructor(command, properties, message) {
        if (!command) {
            command = 'missing.command';
        }
        this.command = command;
        this.properties = properties;
        this.message = message;
    }
    toString() {
        let cmdStr = CMD_STRING + this.command;
        if (this.properties && Object.keys(this.properties).length > 0) {
            cmdStr += ' ';
            let first = true;
            for (const key in this.properties) {
                if (this.properties.hasOwnProperty(key)) {
                    const val = this.properties[key];
                    if (val) {
                        if (first) {
                            first = false;
                        }
                        else {
                            cmdStr += ',';
                        }
                        cmdStr += `${key}=${escapeProperty(val)}`;
                    }
                }
            }
        }
        cmdStr += `${CMD_STRING}${escapeData(this.message)}`;
        return cmdStr;
    }
}
function escapeData(s) {
    return (0, utils_1.toCommandValue)(s)
        .replace(/%/g, '%25')
        .replace(/\r/g, '%0D')
        .replace(/\n/g, '%0A');
}
function escapeProperty(s) {
    return (0, utils_1.toCommandValue)(s)
        .replace(/%/g, '%25')
        .replace(/\r/g, '%0D')
        .replace(/\n/g, '%0A')
        .replace(/:/g, '%3A')
        .replace(/,/g, '%2C');
}
//# sourceMappingURL=command.js.map

/***/ }),

/***/ 753:
/***/ (function(__unused_webpack_module, exports, __nccwpck_require__) {

"use strict";

// For internal use, subject to change.
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || function (mod) {
    if (mod && mod.__esModule) return mod;
    var result = {};
    if (mod != null) for (var k in mod) if (k !== "default" && Object.prototype.hasOwnProperty.call(mod, k)) __createBinding(result, mod, k);
    __setModuleDefault(result, mod);
    return result;
};
Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.prepareKeyValueMessage = exports.issueFileCommand = void 0;
// We use any as a valid input type
/* eslint-disable @typescript-eslint/no-explicit-any */
const crypto = __importStar(__nccwpck_require__(982));
const fs = __importStar(__nccwpck_require__(896));
const os = __importStar(__nccwpck_require__(857));
const utils_1 = __nccwpck_require__(302);
function issueFileCommand(command, message) {
    const filePath = process.env[`GITHUB_${command}`];
    if (!filePath) {
        throw new Error(`Unable to find environment variable for file command ${command}`);
    }
    if (!fs.existsSync(filePath)) {
        throw new Error(`Missing file at path: ${filePath}`);
    }
    fs.appendFileSync(filePath, `${(0, utils_1.toCommandValue)(message)}${os.EOL}`, {
        encoding: 'utf8'
    });
}
exports.issueFileCommand = issueFileCommand;
function prepareKeyValueMessage(key, value) {
    const delimiter = `ghadelimiter_${crypto.randomUUID()}`;
    const convertedValue = (0, utils_1.toCommandValue)(value);
    // These should realistically never happen, but just in case someone finds a
    // way to exploit uuid generation let's not allow keys or values that contain
    // the delimiter.
    if (key.includes(delimiter)) {
        throw new Error(`Unexpected input: name should not contain the delimiter "${delimiter}"`);
    }
    if (convertedValue.includes(delimiter)) {
        throw new Error(`Unexpected input: value should not contain the delimiter "${delimiter}"`);
    }
    return `${key}<<${delimiter}${os.EOL}${convertedValue}${os.EOL}${delimiter}`;
}
exports.prepareKeyValueMessage = prepareKeyValueMessage;
//# sourceMappingURL=file-command.js.map

/***/ }),

/***/ 302:
/***/ ((__unused_webpack_module, exports) => {

"use strict";

// We use any as a valid input type
/* eslint-disable @typescript-eslint/no-explicit-any */
Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.toCommandProperties = exports.toCommandValue = void 0;
/**
 * Sanitizes an input into a string so it can be passed into issueCommand safely
 * @param input input to sanitize into a string
 */
function toCommandValue(input) {
    if (input === null || input === undefined) {
        return '';
    }
    else if (typeof input === 'string' || input instanceof String) {
        return input;
    }
    return JSON.stringify(input);
}
exports.toCommandValue = toCommandValue;
/**
 *
 * @param annotationProperties
 * @returns The command properties to send with the actual annotation command
 * See IssueCommandProperties: https://github.com/actions/runner/blob/main/src/Runner.Worker/ActionCommandManager.cs#L646
 */
function toCommandProperties(annotationProperties) {
    if (!Object.keys(annotationProperties).length) {
        return {};
    }
    return {
        title: annotationProperties.title,
        file: annotationProperties.file,
        line: annotationProperties.startLine,
        endLine: annotationProperties.endLine,
        col: annotationProperties.startColumn,
        endColumn: annotationProperties.endColumn
    };
}
exports.toCommandProperties = toCommandProperties;
//# sourceMappingURL=utils.js.map

/***/ }),

/***/ 967:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

"use strict";

// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  e: () => (/* binding */ run)
});

;// CONCATENATED MODULE: external "node:os"
const external_node_os_namespaceObject = require("node:os");
;// CONCATENATED MODULE: external "node:path"
const external_node_path_namespaceObject = require("node:path");
;// CONCATENATED MODULE: ./src/chat/errors.ts
const ERROR_CODES = new Map([
    [10002, { meaning: "internal server error", retry: "transient" }],
    [10003, { meaning: "invalid command word", retry: "permanent" }],
    [10004, { meaning: "invalid parameter", retry: "permanent" }],
    [10007, { meaning: "no permission: the identifier must be an app admin", retry: "permanent" }],
    [10010, { meaning: "the group does not exist or was dismissed", retry: "permanent" }],
    [10015, { meaning: "invalid group ID", retry: "permanent" }],
    [10030, { meaning: "the message to recall does not exist", retry: "permanent" }],
    [10031, { meaning: "the message is past the time limit for recalling", retry: "permanent" }],
    [10032, { meaning: "the message cannot be recalled", retry: "permanent" }],
    [10033, { meaning: "this group type does not support recalling messages", retry: "permanent" }],
    [60002, { meaning: "bad HTTP URL", retry: "permanent" }],
    [60003, { meaning: "request JSON could not be parsed", retry: "permanent" }],
    [60004, { meaning: "identifier or UserSig is wrong", retry: "permanent", appWide: true }],
    [60005, { meaning: "identifier or UserSig is wrong", retry: "permanent", appWide: true }],
    [60006, { meaning: "SDKAppID is invalid", retry: "permanent", appWide: true }],
    [60007, { meaning: "REST API call frequency over the limit", retry: "rate-limited" }],
    [60008, { meaning: "service timeout or bad HTTP format", retry: "transient" }],
    [60010, { meaning: "identifier must be an app admin", retry: "permanent", appWide: true }],
    [60011, { meaning: "SDKAppID request frequency over the limit", retry: "rate-limited" }],
    [60012, { meaning: "sdkappid is missing", retry: "permanent" }],
    [60014, { meaning: "account exchange timed out", retry: "transient" }],
    [60016, { meaning: "SDKAppID is disabled", retry: "permanent", appWide: true }],
    [60018, { meaning: "requests too frequent, retry later", retry: "rate-limited" }],
    [60019, { meaning: "requests too frequent, retry later", retry: "rate-limited" }],
    [
        60020,
        {
            meaning: "plan not purchased or expired (takes about 5 minutes after purchase)",
            retry: "permanent",
            appWide: true,
        },
    ],
    [60021, { meaning: "the calling IP is not allowed", retry: "permanent", appWide: true }],
    [70001, { meaning: "UserSig expired", retry: "resign", appWide: true }],
    [70002, { meaning: "UserSig is empty", retry: "permanent", appWide: true }],
    [70003, { meaning: "UserSig check failed", retry: "permanent", appWide: true }],
    [70005, { meaning: "UserSig check failed", retry: "permanent", appWide: true }],
    [70009, { meaning: "wrong secret key for this SDKAppID", retry: "permanent", appWide: true }],
    [70013, { meaning: "identifier does not match the UserSig", retry: "permanent", appWide: true }],
    [70014, { meaning: "SDKAppID does not match the UserSig", retry: "permanent", appWide: true }],
    [70016, { meaning: "key not found", retry: "permanent", appWide: true }],
    [70020, { meaning: "SDKAppID not found", retry: "permanent", appWide: true }],
    [
        70050,
        {
            meaning: "repeated UserSig failures: blocked for a minute, do not retry now",
            retry: "permanent",
            appWide: true,
        },
    ],
    [70052, { meaning: "UserSig was invalidated", retry: "resign", appWide: true }],
    [70169, { meaning: "server internal timeout", retry: "transient" }],
    [70500, { meaning: "server internal error", retry: "transient" }],
]);
/** Codes that usually mean the app lives in another region than the one called. */
const WRONG_REGION_CODES = new Set([60006, 70016, 70020]);
/*
 * Codes of our own, for failures that carry no ErrorCode from the server. They are negative; the
 * `fromServer` flag of a failure tells them apart from a server that answers with a negative code.
 */
/** No answer: network failure, timeout, an HTTP error, or a body that is not a Chat API answer. */
const NO_ANSWER = -1;
/** The answer contradicts itself: FAIL with ErrorCode 0, or no numeric ErrorCode, or no ActionStatus. */
const INCONSISTENT_ANSWER = -2;
/** The call was never made: the run stopped first (a failure of the whole app, or cancellation). */
const NOT_ATTEMPTED = -3;
/** Verify found messages of the sender still not recalled after the recall. */
const REMAINING_MESSAGES = -4;
/** The sender is not an account of the app and has no messages where the run looked: likely a typo. */
const NOT_AN_ACCOUNT = -5;
/** The messages could not be written to the archive, so none of them was recalled. */
const ARCHIVE_FAILED = -6;
const OWN_CODES = new Map([
    [NO_ANSWER, { meaning: "no answer from the Chat API", retry: "transient" }],
    [INCONSISTENT_ANSWER, { meaning: "the answer was inconsistent", retry: "permanent" }],
    [NOT_ATTEMPTED, { meaning: "not attempted", retry: "permanent" }],
    [REMAINING_MESSAGES, { meaning: "messages still not recalled", retry: "permanent" }],
    [NOT_AN_ACCOUNT, { meaning: "no such sender", retry: "permanent" }],
    [ARCHIVE_FAILED, { meaning: "the messages could not be archived", retry: "permanent" }],
]);
function codeInfo(code, fromServer) {
    return (fromServer ? ERROR_CODES : OWN_CODES).get(code);
}
function retryClass(code, fromServer = true) {
    return codeInfo(code, fromServer)?.retry ?? "permanent";
}
function isAppWide(code, fromServer) {
    return codeInfo(code, fromServer)?.appWide === true;
}
function explainCode(code, fromServer = true) {
    return codeInfo(code, fromServer)?.meaning ?? "unlisted error code";
}
/** A call that did not end with ErrorCode 0, after every retry it was allowed. */
class ChatApiError extends Error {
    command;
    code;
    info;
    attempts;
    fromServer;
    rateLimited;
    name = "ChatApiError";
    constructor(command, code, info, attempts, 
    /** True when the server sent the code, false when it is one of ours (no answer, inconsistent answer). */
    fromServer, 
    /** The call gave up on answers that only said "rate limited", for too long. */
    rateLimited = false) {
        super(`${command} failed with ${fromServer ? "ErrorCode" : "code"} ${code} (${explainCode(code, fromServer)}): ${info || "no ErrorInfo"}`);
        this.command = command;
        this.code = code;
        this.info = info;
        this.attempts = attempts;
        this.fromServer = fromServer;
        this.rateLimited = rateLimited;
    }
}

;// CONCATENATED MODULE: ./src/chat/endpoint.ts
const REGIONS = {
    china: { main: "console.tim.qq.com", backup: "adminapi.my-imcloud.com" },
    singapore: { main: "adminapisgp.im.qcloud.com", backup: "adminapisgp.my-imcloud.com" },
    seoul: { main: "adminapikr.im.qcloud.com", backup: "adminapikr.my-imcloud.com" },
    frankfurt: { main: "adminapiger.im.qcloud.com", backup: "adminapiger.my-imcloud.com" },
    mumbai: { main: "adminapiind.im.qcloud.com", backup: "adminapiind.my-imcloud.com" },
    "silicon-valley": { main: "adminapiusa.im.qcloud.com", backup: "adminapiusa.my-imcloud.com" },
    jakarta: { main: "adminapiidn.im.qcloud.com", backup: "adminapiidn.my-imcloud.com" },
    tokyo: { main: "adminapijpn.im.qcloud.com", backup: "adminapijpn.my-imcloud.com" },
    riyadh: { main: "adminapiksa.im.qcloud.com" },
};
const REGION_NAMES = Object.keys(REGIONS);
function isRegion(value) {
    return Object.hasOwn(REGIONS, value);
}
/**
 * The base URLs to try, in order: an explicit endpoint alone, else the region's main domain and,
 * where Tencent publishes one, its backup domain.
 */
function baseUrls(region, endpoint) {
    if (endpoint)
        return [endpoint.replace(/\/+$/, "")];
    const domains = REGIONS[region];
    return [domains.main, domains.backup].filter((d) => d !== undefined).map((d) => `https://${d}`);
}
/** The path and query of one call: `/v4/<command>?sdkappid=...&identifier=...&usersig=...&random=...&contenttype=json`. */
function commandPath(command, caller, random) {
    const e = encodeURIComponent;
    return `/v4/${command}?sdkappid=${caller.sdkAppId}&identifier=${e(caller.identifier)}&usersig=${e(caller.userSig)}&random=${random}&contenttype=json`;
}
const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);
/** Whether an endpoint may be used: https anywhere, http only on loopback. */
function endpointProblem(endpoint) {
    let url;
    try {
        url = new URL(endpoint);
    }
    catch {
        return "is not a URL";
    }
    if (/[?#]/.test(endpoint))
        return "must not carry a query (?) or fragment (#): give the base URL only";
    if (url.username || url.password)
        return "must not carry credentials";
    if (url.protocol === "https:")
        return undefined;
    if (url.protocol === "http:") {
        const host = url.hostname;
        if (LOOPBACK_HOSTS.has(host) || /^127(\.\d{1,3}){3}$/.test(host))
            return undefined;
        return "uses http on a host that is not loopback; use https (http is allowed only for 127.0.0.0/8, localhost and [::1])";
    }
    return `has protocol ${url.protocol}; use https`;
}

;// CONCATENATED MODULE: ./src/recall/settings.ts

const MODES = ["silent", "notify"];
const MAX_ATTEMPTS = { min: 1, max: 20 };
const REQUEST_TIMEOUT_SECONDS = { min: 1, max: 600 };
const CALLS_PER_SECOND = { min: 1, max: 50_000 };
/** delete_group_msg_by_sender looks at a group's (or topic's) newest messages, this many. */
const RECALL_WINDOW = 1000;
/** Messages searched back in each group or topic: paging costs a call per 20 messages. */
const DEPTH = { min: 1, max: 100_000 };
/** group_msg_recall's Reason is at most this many bytes. */
const MAX_REASON_BYTES = 100;
const TIME_FORMS = "an ISO 8601 time with its zone (2026-12-01T08:00:00Z) or a duration back from now (90m, 36h, 7d)";
const LIST_FILE = "one per line (blank lines and lines starting with a # are left out), relative to the workspace";
/** Every setting of a recall: the one place their names, defaults, ranges, texts and sources are declared. */
const SETTINGS = [
    {
        name: "group",
        placeholder: "ID",
        summary: 'group ID(s), or "*" for every group of the app',
        description: 'Group ID(s), one per line (on a single line, auto-generated IDs @TGS#... may be separated by commas), or "*" for every group of the app.',
        orSetting: "group-file",
        ids: "group",
        property: "groupId",
        propertyDescription: "The group whose messages to recall.",
    },
    {
        name: "group-file",
        placeholder: "PATH",
        summary: "a file of group IDs, one per line (# starts a comment), relative to the workspace",
        description: `Path of a file of group IDs, ${LIST_FILE}. Adds to group.`,
        feeds: "group",
    },
    {
        name: "exclude-group",
        placeholder: "ID",
        summary: "group ID(s) never to touch, even when listed",
        description: 'Group ID(s) never to touch, even when listed or found by group "*".',
        ids: "group",
    },
    {
        name: "group-type",
        placeholder: "TYPE",
        summary: `with group "*": only groups of these types (${["Public", "Private", "Work", "ChatRoom", "Meeting", "Community"].join(", ")})`,
        description: 'With group "*", only groups of these types - Public, Private (Work), ChatRoom (Meeting), Community - separated by commas or newlines. Default all four; AVChatRoom groups keep no history and are always left out.',
    },
    {
        name: "sender",
        placeholder: "ID",
        summary: "sender user ID(s)",
        description: "Sender user ID(s) whose messages are recalled, one per line or separated by commas.",
        orSetting: "sender-file",
        ids: "user",
        property: "senderAccount",
        propertyDescription: "The user ID whose messages are recalled.",
    },
    {
        name: "sender-file",
        placeholder: "PATH",
        summary: "a file of sender user IDs, one per line (# starts a comment), relative to the workspace",
        description: `Path of a file of sender user IDs, ${LIST_FILE}. Adds to sender.`,
        feeds: "sender",
    },
    {
        name: "topic",
        placeholder: "ID",
        summary: "Community topic ID(s), each of a listed group",
        description: 'Topic ID(s) of a Community group, each of a listed group, or "*" for every topic of each Community group (one with no topics is recalled whole). With topics, every (topic, sender) pair is recalled.',
        ids: "topic",
        property: "topicId",
        propertyDescription: "A topic of the Community group, `<groupId>@TOPIC#_<name>`.",
    },
    {
        name: "sdk-app-id",
        connection: true,
        placeholder: "N",
        summary: "the app's SDKAppID",
        description: "The SDKAppID of the Chat app (a positive integer below 2^32).",
        required: true,
        environment: true,
        property: "sdkAppId",
        stackConfig: true,
    },
    {
        name: "secret-key",
        connection: true,
        placeholder: "KEY",
        summary: "the app's secret key",
        description: "The app's secret key (pass it from a repository secret); an admin UserSig is signed with it for each run.",
        orSetting: "user-sig",
        secret: true,
        environment: true,
        property: "secretKey",
        stackConfig: true,
        propertyDescription: "The app's secret key, held as a Pulumi secret.",
    },
    {
        name: "user-sig",
        connection: true,
        placeholder: "SIG",
        summary: "a ready admin UserSig instead of the secret key",
        description: "A ready admin UserSig, for those who sign elsewhere.",
        orSetting: "secret-key",
        secret: true,
        environment: true,
        property: "userSig",
        stackConfig: true,
        propertyDescription: "A ready admin UserSig instead of the secret key, held as a Pulumi secret.",
    },
    {
        name: "identifier",
        connection: true,
        placeholder: "ID",
        summary: "the app admin account",
        description: "The app admin account the calls are made as.",
        default: "administrator",
        environment: true,
        property: "identifier",
        stackConfig: true,
    },
    {
        name: "region",
        connection: true,
        placeholder: "NAME",
        summary: REGION_NAMES.join(", "),
        description: `Region of the app's data center - ${REGION_NAMES.slice(0, -1).join(", ")} or ${REGION_NAMES.at(-1)}.`,
        default: "china",
        environment: true,
        property: "region",
        stackConfig: true,
    },
    {
        name: "endpoint",
        connection: true,
        placeholder: "URL",
        summary: "base URL instead of the region's domain",
        description: "Base URL replacing the region's domain (a proxy, the emulator) - https, or http only for loopback; no query or fragment.",
        environment: true,
        property: "endpoint",
        stackConfig: true,
    },
    {
        name: "max-attempts",
        connection: true,
        placeholder: "N",
        summary: "attempts per call",
        description: `Attempts per call for transient failures, ${MAX_ATTEMPTS.min} to ${MAX_ATTEMPTS.max}. Rate-limited answers are retried apart, paced by the rate limiter.`,
        default: "5",
        range: MAX_ATTEMPTS,
        property: "maxAttempts",
    },
    {
        name: "request-timeout",
        connection: true,
        placeholder: "S",
        summary: "seconds per HTTP request",
        description: `Seconds allowed for each HTTP request, ${REQUEST_TIMEOUT_SECONDS.min} to ${REQUEST_TIMEOUT_SECONDS.max}.`,
        default: "10",
        range: REQUEST_TIMEOUT_SECONDS,
        property: "requestTimeout",
    },
    {
        name: "max-calls-per-second",
        connection: true,
        placeholder: "N",
        summary: "ceiling on calls per second to each API",
        description: `Ceiling on calls per second to each API, ${CALLS_PER_SECOND.min} to ${CALLS_PER_SECOND.max}, shared by every call that connects the same way (the documented limit is 200 per SDKAppID).`,
        default: "200",
        range: CALLS_PER_SECOND,
        property: "maxCallsPerSecond",
    },
    {
        name: "preflight",
        placeholder: "BOOL",
        summary: "look the groups up first",
        description: "Look every group up first (get_group_info) - a missing group fails its pairs with no recall, an AVChatRoom (no history) skips them, a topic of a group that is not a Community stops the run before any recall - and check every sender (account_check) - one that is not an account and has no messages where the run looks fails. Set false for an admin without those permissions.",
        default: "true",
        boolean: true,
        property: "preflight",
    },
    {
        name: "dry-run",
        placeholder: "BOOL",
        summary: "count, recall nothing",
        description: "Recall nothing - count, per pair, the sender's messages among the last 1,000 of the group or topic that would be recalled.",
        default: "false",
        boolean: true,
    },
    {
        name: "verify",
        placeholder: "BOOL",
        summary: "count what is recalled afterwards",
        description: "After the recall, count per pair the sender's messages in the window that are recalled and those still not; a pair with any left fails.",
        default: "false",
        boolean: true,
        property: "verify",
    },
    {
        name: "mode",
        placeholder: "MODE",
        summary: MODES.join(" or "),
        description: "silent (delete_group_msg_by_sender - clients see it when they pull history) or notify (find the sender's messages and recall them by seq with group_msg_recall - clients see it at once).",
        default: "silent",
        choices: MODES,
        property: "mode",
    },
    {
        name: "since",
        placeholder: "TIME",
        summary: "only messages sent at or after this time (ISO 8601, or 90m, 36h, 7d back)",
        description: `Only the messages sent at or after this time - ${TIME_FORMS}. Recalls by seq with group_msg_recall (clients see it at once).`,
        property: "since",
    },
    {
        name: "until",
        placeholder: "TIME",
        summary: "only messages sent at or before this time (ISO 8601, or 90m, 36h, 7d back)",
        description: `Only the messages sent at or before this time - ${TIME_FORMS}. Recalls by seq with group_msg_recall (clients see it at once).`,
        property: "until",
    },
    {
        name: "depth",
        placeholder: "N",
        summary: `messages to search back in each group or topic (${DEPTH.min} to ${DEPTH.max})`,
        description: `Messages to search back in each group or topic, ${DEPTH.min} to ${DEPTH.max}. Any depth but ${RECALL_WINDOW} (what delete_group_msg_by_sender reaches) finds the sender's messages by paging the history, 20 a call, and recalls them by seq with group_msg_recall, which reaches any message still in the roaming history.`,
        default: String(RECALL_WINDOW),
        range: DEPTH,
        property: "depth",
    },
    {
        name: "reason",
        placeholder: "TEXT",
        summary: `why, sent with each recall by seq (at most ${MAX_REASON_BYTES} bytes)`,
        description: `Why the messages are recalled, at most ${MAX_REASON_BYTES} bytes, sent as group_msg_recall's Reason. Needs a recall by seq (mode notify, a time window, a depth other than ${RECALL_WINDOW}, or archive): the silent API has no reason field.`,
        property: "reason",
    },
    {
        name: "archive",
        placeholder: "FILE",
        summary: "write each message to a JSON Lines file before it is recalled",
        description: "Before recalling, write each message about to be recalled (group, topic, seq, time, sender, MsgRandom, MsgBody) as a JSON line to a file, named by the archive-file output, and recall exactly those messages by seq with group_msg_recall. A pair is recalled only once its messages are written. The file holds message content: people's data. true for a file beside the results file, or a path relative to the workspace.",
        default: "false",
    },
    {
        name: "joined-groups",
        placeholder: "BOOL",
        summary: "also recall in every group each sender is a member of",
        description: 'Also recall in every group each sender is a member of (get_joined_group_list). Groups a sender left or was removed from are not listed: add them with group (a list, or "*"). exclude-group and group-type apply; AVChatRoom groups are left out.',
        default: "false",
        boolean: true,
    },
];
function settingSpec(name) {
    return SETTINGS.find((s) => s.name === name);
}
/** `sdk-app-id` → `TENCENT_CHAT_SDK_APP_ID`. */
function environmentVariable(spec) {
    return `TENCENT_CHAT_${spec.name.replace(/-/g, "_").toUpperCase()}`;
}
function environmentSource(env) {
    return {
        get: (spec) => {
            const value = spec.environment ? env[environmentVariable(spec)] : undefined;
            return value === undefined ? undefined : { values: [value] };
        },
        label: (spec) => (spec.environment ? environmentVariable(spec) : undefined),
    };
}
/**
 * Whether messages are found first and recalled by seq with group_msg_recall: in notify mode, and
 * whenever only some of the sender's messages are meant (a time window, a depth other than the silent
 * API's window) or each must be archived first.
 */
function recallsBySeq(settings) {
    const { depth, since, until } = settings.selection;
    return (settings.mode === "notify" ||
        since !== undefined ||
        until !== undefined ||
        depth !== RECALL_WINDOW ||
        settings.archive !== undefined);
}

;// CONCATENATED MODULE: ./src/recall/describe.ts


/*
 * The words every front door uses for a run: what it is about to do, how each pair ended, and how
 * the whole run ended.
 */
function describePair(pair) {
    return `sender ${pair.sender} in ${pair.topic ? `topic ${pair.topic}` : `group ${pair.group}`}`;
}
/** One line on a pair that did not end well, for logs, annotations and errors. */
function describeFailure(result, fromServer) {
    if (result.outcome === "not-attempted")
        return `Recall of ${describePair(result)} was not attempted: ${result.errorInfo}`;
    const what = result.errorCode === NO_ANSWER && !fromServer
        ? `no answer after ${result.attempts} attempt(s)`
        : `${fromServer ? "ErrorCode" : "code"} ${result.errorCode} (${explainCode(result.errorCode, fromServer)})`;
    return `Recall of ${describePair(result)} failed: ${what}: ${result.errorInfo || "no ErrorInfo"}`;
}
/** Where a fan-out looks, in words. */
function describeDiscovery(discover) {
    const groups = discover.groups === "all"
        ? `every ${discover.types.join(", ")} group of the app${discover.exclude.size ? ` but ${discover.exclude.size} excluded` : ""}`
        : `${discover.groups.length} group(s)`;
    const joined = discover.joined ? " and every group each sender is a member of" : "";
    return `${groups}${joined}${discover.everyTopic ? ", in every topic of each Community group" : ""}`;
}
function isoTime(seconds) {
    return new Date(seconds * 1000).toISOString();
}
/** Which messages, in words: "the last 1,000", and the time window when there is one. */
function describeSelection({ depth, since, until }) {
    const window = [
        since === undefined ? "" : `sent since ${isoTime(since)}`,
        until === undefined ? "" : `sent until ${isoTime(until)}`,
    ]
        .filter(Boolean)
        .join(" and ");
    return `the last ${depth.toLocaleString("en-US")}${window ? `, ${window},` : ""}`;
}
/** What the run is about to do, in one line. */
function describePlan(settings) {
    const pairs = settings.discover
        ? `${settings.senders.length} sender(s) in ${describeDiscovery(settings.discover)}`
        : `${settings.scopes.length * settings.senders.length} (group or topic, sender) pair(s)`;
    const which = describeSelection(settings.selection);
    if (settings.dryRun)
        return `Dry run: counting the messages of ${pairs} in ${which} of each group or topic; nothing is recalled${settings.archive ? " or archived" : ""}.`;
    const how = !recallsBySeq(settings)
        ? "with delete_group_msg_by_sender (silently: clients see it when they pull history)"
        : `among ${which} of each group or topic${settings.archive ? ", each written first to the archive file," : ""} by seq with group_msg_recall, so that clients see it at once${settings.reason ? `, with a reason` : ""}`;
    return `Recalling the messages of ${pairs} ${how}, at up to ${settings.connection.maxCallsPerSecond} calls/s${settings.verify ? ", then counting what was recalled" : ""}.`;
}
/** How the run ended, in one line, without its first failure. */
function describeOutcome(summary, settings) {
    const { total, recalled, failed, skipped, notAttempted, dryRun } = summary;
    const nothing = summary.nothingToRecall > 0 ? ` (${summary.nothingToRecall} with nothing to recall)` : "";
    if (settings.dryRun) {
        return `Dry run: ${dryRun} of ${total} pair(s) counted${nothing}, ${failed} failed, ${skipped} skipped, ${notAttempted} not attempted; ${summary.matchedMessages} message(s) would be recalled. Nothing was recalled.`;
    }
    const counted = settings.verify || recallsBySeq(settings)
        ? `; ${summary.recalledMessages} message(s) recalled${settings.verify ? `, ${summary.remainingMessages} left` : ""}`
        : "";
    const archived = summary.archiveFile === undefined ? "" : ` ${summary.archivedMessages} message(s) archived.`;
    return `${recalled} of ${total} pair(s) recalled${nothing}, ${failed} failed, ${skipped} skipped, ${notAttempted} not attempted${counted}.${archived}`;
}
/** How the run ended, in one line, with its first failure when there was one. */
function describeEnd(summary, settings) {
    const first = summary.firstFailure?.message;
    return `${describeOutcome(summary, settings)}${first ? ` First failure: ${first}` : ""}`;
}
/** A run failed when any pair did not end well or it stopped before the end. */
function runFailed(summary) {
    return summary.firstFailure !== undefined || summary.stopCause !== undefined;
}
function describeRetry(e) {
    return `Retrying ${e.command} in ${Math.round(e.delayMs)} ms: attempt ${e.attempt} got code ${e.code}: ${e.info}`;
}
function describeDuration(seconds) {
    if (!Number.isFinite(seconds))
        return "?";
    const s = Math.round(seconds);
    return s >= 3600
        ? `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`
        : s >= 60
            ? `${Math.floor(s / 60)}m ${s % 60}s`
            : seconds < 1
                ? `${seconds.toFixed(1)}s`
                : `${s}s`;
}
/** Where a run stands, in one line: pairs done (of how many), by outcome, the rate and the time left. */
function describeProgress(p) {
    const seconds = p.elapsedMs / 1000;
    const rate = seconds > 0 ? p.done / seconds : 0;
    const of = p.total === undefined ? "" : ` of ${p.total}`;
    const left = p.total !== undefined && rate > 0 ? `, about ${describeDuration((p.total - p.done) / rate)} left` : "";
    const counts = [
        `${p.recalled + p.dryRun} OK`,
        `${p.failed} failed`,
        ...(p.skipped ? [`${p.skipped} skipped`] : []),
        ...(p.notAttempted ? [`${p.notAttempted} not attempted`] : []),
    ].join(", ");
    return `${p.done}${of} pair(s) done (${counts}) in ${describeDuration(seconds)}, ${rate.toFixed(1)} pairs/s${left}`;
}

;// CONCATENATED MODULE: ./src/recall/input-error.ts
/** Bad input from the user, about one setting: reported as its message alone, before any call is made. */
class InputError extends Error {
    setting;
    name = "InputError";
    constructor(
    /** The setting at fault, when there is one. */
    setting, message) {
        super(message);
        this.setting = setting;
    }
}
/** A value from outside, quoted for a message and cut to a length a message can carry. */
function quote(value, max = 100) {
    return JSON.stringify(value.length > max ? `${value.slice(0, max)}…` : value);
}

;// CONCATENATED MODULE: external "node:fs"
const external_node_fs_namespaceObject = require("node:fs");
;// CONCATENATED MODULE: ./src/chat/proxy.ts
/** A proxy setting that cannot be used; its message names the variable and never shows a password. */
class ProxyError extends Error {
    name = "ProxyError";
}
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;
const BAD_ESCAPE = "has a % that does not start an escape such as %40; write a % itself as %25";
/**
 * The proxy for https calls that the environment names (`https_proxy`, else `HTTPS_PROXY`), read as
 * @actions/http-client reads it, but for two things: a value without a scheme (`proxy.local:3128`)
 * is an http:// proxy, as curl takes it, and a value that cannot be used is a ProxyError instead of
 * a crash at the first call. Undefined when none is set.
 */
function configuredProxy(env) {
    const name = env.https_proxy ? "https_proxy" : "HTTPS_PROXY";
    const value = env[name]?.trim();
    if (!value)
        return undefined;
    let url;
    try {
        url = new URL(SCHEME.test(value) ? value : `http://${value}`);
    }
    catch {
        throw new ProxyError(`${name}: not a proxy URL such as http://proxy.example.com:3128.`);
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
        throw new ProxyError(`${name}: the proxy URL has scheme ${JSON.stringify(url.protocol)}; only http:// and https:// proxies are supported.`);
    }
    if (!url.hostname)
        throw new ProxyError(`${name}: not a proxy URL such as http://proxy.example.com:3128.`);
    for (const [part, text] of [
        ["user name", url.username],
        ["password", url.password],
    ]) {
        try {
            decodeURIComponent(text);
        }
        catch {
            throw new ProxyError(`${name}: the ${part} in the proxy URL ${BAD_ESCAPE}.`);
        }
    }
    return url;
}
function isLoopback(hostname) {
    const host = hostname.toLowerCase();
    return (host === "localhost" ||
        host.startsWith("127.") ||
        host.startsWith("[::1]") ||
        host.startsWith("[0:0:0:0:0:0:0:1]"));
}
/**
 * Whether a call to `url` goes around the proxy, by @actions/http-client's rules: loopback always;
 * else when `no_proxy` (else `NO_PROXY`), a comma-separated list compared without case, has `*`, the
 * host, the host with the URL's port (`host:443`), a domain the host is under (`example.com` or
 * `.example.com`).
 */
function bypassesProxy(url, env) {
    if (!url.hostname)
        return false;
    if (isLoopback(url.hostname))
        return true;
    const noProxy = env.no_proxy || env.NO_PROXY || "";
    if (!noProxy)
        return false;
    const port = url.port
        ? Number(url.port)
        : url.protocol === "http:"
            ? 80
            : url.protocol === "https:"
                ? 443
                : undefined;
    const host = url.hostname.toUpperCase();
    const hosts = port === undefined ? [host] : [host, `${host}:${port}`];
    return noProxy
        .split(",")
        .map((item) => item.trim().toUpperCase())
        .filter(Boolean)
        .some((item) => item === "*" ||
        hosts.some((h) => h === item || h.endsWith(`.${item}`) || (item.startsWith(".") && h.endsWith(item))));
}
/** The proxy an https call to `url` goes through, or undefined when it goes directly. Throws ProxyError when the setting cannot be used. */
function proxyFor(url, env) {
    return bypassesProxy(url, env) ? undefined : configuredProxy(env);
}
/**
 * Why the proxy the environment names cannot be used, or undefined when it can or none is set: for
 * a front door to refuse the run before any call. With `urls` (the base URLs calls go to), only a
 * proxy that one of them would go through is checked. Plain http calls (loopback only) use no proxy.
 */
function proxyProblem(env = process.env, urls) {
    if (urls && !urls.some((url) => usesProxy(url, env)))
        return undefined;
    try {
        configuredProxy(env);
        return undefined;
    }
    catch (error) {
        if (error instanceof ProxyError)
            return error.message;
        throw error;
    }
}
function usesProxy(base, env) {
    let url;
    try {
        url = new URL(base);
    }
    catch {
        return false;
    }
    return url.protocol === "https:" && !bypassesProxy(url, env);
}

;// CONCATENATED MODULE: ./src/recall/ids.ts

const COMMUNITY_PREFIX = "@TGS#_";
const TOPIC_MARK = "@TOPIC#_";
const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;
const PRINTABLE_CHAR = /^[\x20-\x7e]$/;
/*
 * Custom group IDs may contain commas, so on a single line a comma separates IDs only where no
 * piece could be part of a custom ID: auto-generated group IDs (and topics of such groups) are
 * letters and digits after their prefix. User IDs are split on commas; one with a comma must be on
 * a line of its own.
 */
const AUTO_GROUP_ID = /^@TGS#(_@TGS#)?[0-9A-Za-z]+$/;
const AUTO_TOPIC_ID = /^@TGS#_@TGS#[0-9A-Za-z]+@TOPIC#_[^,]+$/;
const RULES = {
    group: { what: "group ID", maxBytes: 48, commaList: (piece) => AUTO_GROUP_ID.test(piece) },
    user: { what: "user ID", maxBytes: 32, commaList: () => true },
    topic: { what: "topic ID", maxBytes: 96, commaList: (piece) => AUTO_TOPIC_ID.test(piece) },
};
/**
 * The IDs in one value of a list setting: one per line when the value has several lines, else
 * separated by commas where that cannot split one ID in two.
 */
function splitIds(value, kind, setting, label) {
    if (/[\r\n]/.test(value))
        return value
            .split(/\r\n|\r|\n/)
            .map((line) => line.trim())
            .filter(Boolean);
    const pieces = value
        .split(",")
        .map((piece) => piece.trim())
        .filter(Boolean);
    const { what, commaList } = RULES[kind];
    if (pieces.length > 1 && !pieces.every(commaList)) {
        throw new InputError(setting, `${label}: ${quoteId(value)} has a comma, and ${what}s may contain commas: it could be one ${what} or several. Put one ${what} per line (in a workflow, a block such as "${setting}: |").`);
    }
    return pieces;
}
/**
 * An ID quoted for a message, cut like `quote` (at `max` code points): `"` and `\` escaped, and every
 * character outside printable ASCII (control, zero-width, look-alike letters, bidirectional
 * controls) shown as `\u{hex code point}`, so that the user sees what is wrong with it.
 */
function quoteId(value, max = 100) {
    const shown = [];
    for (const char of value) {
        if (shown.length === max)
            return `"${shown.join("")}…"`;
        shown.push(char === '"' || char === "\\"
            ? `\\${char}`
            : PRINTABLE_CHAR.test(char)
                ? char
                : `\\u{${char.codePointAt(0).toString(16)}}`);
    }
    return `"${shown.join("")}"`;
}
/** Whether the service could have made this ID: printable ASCII within the kind's byte limit. */
function isWellFormedId(value, kind) {
    return typeof value === "string" && PRINTABLE_ASCII.test(value) && value.length <= RULES[kind].maxBytes;
}
function checkId(value, kind, setting, label) {
    const { what, maxBytes } = RULES[kind];
    if (!PRINTABLE_ASCII.test(value)) {
        throw new InputError(setting, `${label}: ${what} ${quoteId(value)} must be printable ASCII (no control or non-ASCII characters).`);
    }
    if (value.length > maxBytes) {
        throw new InputError(setting, `${label}: ${what} ${quoteId(value)} is ${value.length} bytes; the limit is ${maxBytes}.`);
    }
}
/** Checks a topic ID and returns the group it belongs to: of the listed groups (by list position) it may belong to, the first. */
function topicGroup(topic, groups, label) {
    checkId(topic, "topic", "topic", label);
    if (!topic.startsWith(COMMUNITY_PREFIX)) {
        throw new InputError("topic", `${label}: topic ID ${quoteId(topic)} must belong to a Community group, whose ID starts with ${COMMUNITY_PREFIX}.`);
    }
    let group;
    for (let at = topic.indexOf(TOPIC_MARK); at > 0; at = topic.indexOf(TOPIC_MARK, at + 1)) {
        const candidate = topic.slice(0, at);
        const position = groups.get(candidate);
        if (position === undefined || topic.length === at + TOPIC_MARK.length)
            continue;
        if (group === undefined || position < groups.get(group))
            group = candidate;
    }
    if (group === undefined) {
        throw new InputError("topic", `${label}: topic ID ${quoteId(topic)} must be "<group ID>${TOPIC_MARK}<name>" for one of the listed groups (${[
            ...groups.keys(),
        ]
            .slice(0, 10)
            .map((g) => quoteId(g))
            .join(", ")}${groups.size > 10 ? ", …" : ""}).`);
    }
    return group;
}

;// CONCATENATED MODULE: ./src/chat/exact-json.ts
const COLON = /\s*:/y;
const NUMBER_MEMBER = /\s*:\s*(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/y;
/**
 * The members of the top-level object of valid JSON text, in order, repeats included: each one's
 * name (escapes decoded) and where the text after its name starts. JSON.parse keeps only the last
 * of a repeated name, and says nothing of the others.
 */
function* topLevelMembers(json) {
    let depth = 0;
    for (let i = 0; i < json.length; i++) {
        const char = json[i];
        if (char === "{" || char === "[")
            depth++;
        else if (char === "}" || char === "]")
            depth--;
        else if (char === '"') {
            const end = stringEnd(json, i);
            if (depth === 1 && followedBy(COLON, json, end + 1)) {
                yield { name: JSON.parse(json.slice(i, end + 1)), after: end + 1 };
            }
            i = end;
        }
    }
}
/**
 * The literal of a top-level number member of a JSON object, digit for digit: JSON.parse turns
 * integers above 2^53 into the nearest double, which is another number. Undefined when the member
 * is missing or is not a number.
 */
function topLevelNumber(json, name) {
    for (const member of topLevelMembers(json)) {
        if (member.name !== name)
            continue;
        NUMBER_MEMBER.lastIndex = member.after;
        return NUMBER_MEMBER.exec(json)?.[1];
    }
    return undefined;
}
/**
 * Which of `names` the top-level object of valid JSON text holds more than once, in the order their
 * second occurrence comes: JSON.parse would silently keep the last one.
 */
function repeatedTopLevelKeys(json, names) {
    const wanted = new Set(names);
    const seen = new Set();
    const repeated = [];
    for (const { name } of topLevelMembers(json)) {
        if (!wanted.has(name))
            continue;
        if (seen.has(name)) {
            if (!repeated.includes(name))
                repeated.push(name);
        }
        else
            seen.add(name);
    }
    return repeated;
}
/** Where the string that opens at `start` closes. */
function stringEnd(json, start) {
    for (let i = start + 1; i < json.length; i++) {
        if (json[i] === "\\")
            i++;
        else if (json[i] === '"')
            return i;
    }
    return json.length;
}
function followedBy(pattern, json, at) {
    pattern.lastIndex = at;
    return pattern.test(json);
}

;// CONCATENATED MODULE: ./src/recall/listing.ts



const LIST_GROUPS_COMMAND = "group_open_http_svc/get_appid_group_list";
const TOPICS_COMMAND = "million_group_open_http_svc/get_topic";
/** The most group IDs get_appid_group_list answers per call. */
const PAGE_LIMIT = 10_000;
/** Group types a fan-out lists, by the names get_appid_group_list takes; AVChatRoom keeps no history. */
const LISTED_TYPES = ["Public", "Private", "ChatRoom", "Community"];
const TYPE_ALIASES = { Work: "Private", Meeting: "ChatRoom" };
function inconsistent(info, attempts, command = LIST_GROUPS_COMMAND) {
    return new ChatApiError(command, INCONSISTENT_ANSWER, info, attempts, false);
}
/** Why a page of group IDs cannot be read: a list of entries with a GroupId each, and the TotalCount they are part of. */
const unreadableGroupPage = (response) => {
    const list = response.GroupIdList;
    if (!Array.isArray(list))
        return "GroupIdList is missing or not a list";
    if (!list.every((g) => typeof g?.GroupId === "string"))
        return "an entry of GroupIdList has no GroupId text";
    const total = response.TotalCount;
    if (typeof total !== "number" || !Number.isSafeInteger(total) || total < 0)
        return "TotalCount is missing or not a count";
    return undefined;
};
/** The well-formed group IDs of a page, and how many were not. */
function idsOf(page) {
    const groups = page.GroupIdList.map((g) => g.GroupId).filter((id) => isWellFormedId(id, "group"));
    return { groups, malformed: page.GroupIdList.length - groups.length };
}
/**
 * Every group of one type, a page at a time. `Next` is a uint64: it is read from the answer digit
 * for digit and sent back as the same JSON number, never through a double. Pages that end short of
 * the TotalCount they say make the listing fail: it is never taken for fewer groups.
 */
async function* listGroups(client, type, signals) {
    let next = "0";
    let listed = 0;
    const seen = new Set();
    for (;;) {
        const body = `{"Limit":${PAGE_LIMIT},"GroupType":${JSON.stringify(type)},"Next":${next}}`;
        const { response, text, attempts } = await client.call(LIST_GROUPS_COMMAND, body, signals, unreadableGroupPage);
        const page = response;
        listed += page.GroupIdList.length;
        yield { ...idsOf(page), total: page.TotalCount };
        const following = topLevelNumber(text, "Next");
        if (following === undefined || !/^\d+$/.test(following))
            throw inconsistent(`Next is ${client.clean(following ?? "missing")}`, attempts);
        if (following === "0") {
            if (listed < page.TotalCount)
                throw inconsistent(`the listing ended after ${listed} of the ${page.TotalCount} groups its TotalCount says`, attempts);
            return;
        }
        if (seen.has(following))
            throw inconsistent(`Next ${client.clean(following)} came back twice: the listing would never end`, attempts);
        seen.add(following);
        next = following;
    }
}
/** Why a list of topics cannot be read: each entry has its ErrorCode, and a TopicId when that is 0. */
const unreadableTopics = (response) => {
    const entries = response.TopicAndSelfInfo;
    if (!Array.isArray(entries))
        return "TopicAndSelfInfo is missing or not a list";
    for (const [i, e] of entries.entries()) {
        if (typeof e?.ErrorCode !== "number")
            return `TopicAndSelfInfo[${i}].ErrorCode is missing or not a number`;
        if (e.ErrorCode === 0 && typeof e.TopicInfo?.TopicId !== "string")
            return `TopicAndSelfInfo[${i}].TopicInfo.TopicId is missing or not text`;
    }
    return undefined;
};
/** The topics of a Community group, as get_topic lists them for the admin. */
async function topicsOf(client, group, identifier, signals) {
    const { response } = await client.call(TOPICS_COMMAND, { GroupId: group, From_Account: identifier }, signals, unreadableTopics);
    const entries = response.TopicAndSelfInfo;
    const ids = entries.filter((e) => e.ErrorCode === 0).map((e) => e.TopicInfo?.TopicId);
    const topics = ids.filter((id) => isWellFormedId(id, "topic"));
    return { topics, malformed: ids.length - topics.length };
}
/** How many groups of one type the app has, from one call. */
async function countGroups(client, type, signals) {
    const body = `{"Limit":1,"GroupType":${JSON.stringify(type)},"Next":0}`;
    const { response } = await client.call(LIST_GROUPS_COMMAND, body, signals, unreadableGroupPage);
    return response.TotalCount;
}
const JOINED_GROUPS_COMMAND = "group_open_http_svc/get_joined_group_list";
/** Groups asked for per get_joined_group_list call. */
const JOINED_PAGE_LIMIT = 1000;
/**
 * The groups of one type a user is a member of, a page at a time by offset, until the pages hold as
 * many as `TotalCount` says. Groups the user left or was removed from are not among them.
 */
async function joinedGroupsOf(client, member, type, signals) {
    const groups = [];
    let malformed = 0;
    for (let offset = 0;;) {
        const body = { Member_Account: member, Limit: JOINED_PAGE_LIMIT, Offset: offset, GroupType: type };
        const { response, attempts } = await client.call(JOINED_GROUPS_COMMAND, body, signals, unreadableGroupPage);
        const page = response;
        const ids = idsOf(page);
        groups.push(...ids.groups);
        malformed += ids.malformed;
        offset += page.GroupIdList.length;
        if (offset >= page.TotalCount)
            return { groups, malformed };
        if (page.GroupIdList.length === 0) {
            const info = `the listing ended after ${offset} of the ${page.TotalCount} groups its TotalCount says`;
            throw inconsistent(info, attempts, JOINED_GROUPS_COMMAND);
        }
    }
}

;// CONCATENATED MODULE: ./src/recall/plan.ts


/**
 * The groups, or with topics every topic (each in its listed group), each once. With topics, every
 * listed group needs at least one of its topics, so no group is recalled whole by mistake.
 */
function planScopes(groups, topics, topicLabel) {
    if (topics.length === 0)
        return groups.map((group) => ({ group }));
    const positions = new Map();
    groups.forEach((group, i) => {
        if (!positions.has(group))
            positions.set(group, i);
    });
    const scopes = topics.map((topic) => ({ group: topicGroup(topic, positions, topicLabel), topic }));
    const covered = new Set(scopes.map((s) => s.group));
    const bare = groups.filter((g) => !covered.has(g));
    if (bare.length > 0) {
        throw new InputError("topic", `${topicLabel}: no topic is listed for group ${bare
            .slice(0, 10)
            .map((g) => quote(g))
            .join(", ")}; with topics set, every listed group needs at least one of its topics, or recall it in a separate step without topics.`);
    }
    return scopes;
}
function* pairsOf(scopes, senders) {
    for (const scope of scopes)
        for (const sender of senders)
            yield { ...scope, sender };
}

;// CONCATENATED MODULE: ./src/recall/resolve.ts









const SDK_APP_ID_LIMIT = 2 ** 32;
/** The value of `group` and `topic` that means every one of them. */
const EVERY = "*";
function isSet(value) {
    return value !== undefined && value.values.some((v) => v.trim() !== "");
}
/** List files larger than this are refused; no more than this (and a byte) is ever read of one. */
const MAX_LIST_FILE_BYTES = 50 * 1024 * 1024;
/** List files are read in chunks of this many bytes. */
const LIST_FILE_CHUNK_BYTES = 64 * 1024;
/** What a path that is not a regular file is, for a message. */
function fileKind(stats) {
    if (stats.isDirectory())
        return "a directory";
    if (stats.isFIFO())
        return "a named pipe";
    if (stats.isSocket())
        return "a socket";
    if (stats.isCharacterDevice() || stats.isBlockDevice())
        return "a device";
    if (stats.isSymbolicLink())
        return "a symbolic link";
    return "not a file";
}
/** Whether `path` is `directory` or inside it (both real paths). */
function isInside(path, directory) {
    const rel = (0,external_node_path_namespaceObject.relative)(directory, path);
    return rel === "" || (rel !== ".." && !rel.startsWith(`..${external_node_path_namespaceObject.sep}`) && !(0,external_node_path_namespaceObject.isAbsolute)(rel));
}
/** The real path of a directory, or the path as it is when it cannot be resolved. */
function realDirectory(path) {
    try {
        return (0,external_node_fs_namespaceObject.realpathSync)(path);
    }
    catch {
        return (0,external_node_path_namespaceObject.resolve)(path);
    }
}
/**
 * The text of a regular file, read to at most MAX_LIST_FILE_BYTES whatever its size says (a file
 * can grow, and some report 0). Opened without blocking, so that a named pipe put there meanwhile
 * is refused rather than waited on.
 */
function readRegularFile(path, refuse) {
    const flags = external_node_fs_namespaceObject.constants.O_RDONLY | (external_node_fs_namespaceObject.constants.O_NONBLOCK ?? 0) | (external_node_fs_namespaceObject.constants.O_NOFOLLOW ?? 0);
    const fd = (0,external_node_fs_namespaceObject.openSync)(path, flags);
    try {
        const stats = (0,external_node_fs_namespaceObject.fstatSync)(fd);
        if (!stats.isFile())
            refuse(`is not a regular file (${fileKind(stats)}): a list file must be a regular file.`);
        const chunks = [];
        let total = 0;
        for (;;) {
            const chunk = Buffer.alloc(Math.min(LIST_FILE_CHUNK_BYTES, MAX_LIST_FILE_BYTES + 1 - total));
            const read = (0,external_node_fs_namespaceObject.readSync)(fd, chunk, 0, chunk.length, null);
            if (read === 0)
                break;
            chunks.push(read === chunk.length ? chunk : chunk.subarray(0, read));
            total += read;
            if (total > MAX_LIST_FILE_BYTES)
                throw new Error(`larger than ${MAX_LIST_FILE_BYTES} bytes`);
        }
        return Buffer.concat(chunks, total).toString("utf8");
    }
    finally {
        (0,external_node_fs_namespaceObject.closeSync)(fd);
    }
}
const ID_NAMES = { group: "group ID", user: "user ID", topic: "topic ID" };
/** IDs are printable ASCII (as isWellFormedId checks). */
const resolve_PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const idLimits = new Map();
/** The most bytes an ID of this kind may have, as isWellFormedId says. */
function idLimit(kind) {
    let limit = idLimits.get(kind);
    if (limit === undefined) {
        for (limit = 0; limit < 1024 && isWellFormedId("x".repeat(limit + 1), kind); limit++)
            ;
        idLimits.set(kind, limit);
    }
    return limit;
}
/** Why a line of a list file is not an ID, in words that do not repeat the line. */
function lineProblem(line, kind) {
    if (!resolve_PRINTABLE_ASCII.test(line))
        return "it holds control or non-ASCII characters; IDs are printable ASCII";
    return `it is ${Buffer.byteLength(line)} bytes; the limit is ${idLimit(kind)}`;
}
/** Reads settings over ordered sources: the first source that sets a setting gives it. */
class Resolver {
    sources;
    /** What is let through but worth a word to the user. */
    warnings = [];
    files;
    constructor(sources, files = {}) {
        this.sources = sources;
        const baseName = files.baseName ?? "the base directory";
        this.files = {
            baseDirectory: files.baseDirectory ?? process.cwd(),
            baseName,
            allowOutside: files.allowOutside ?? false,
            remedy: files.remedy ?? `Put the file in ${baseName}.`,
        };
    }
    find(name, from = this.sources) {
        const spec = settingSpec(name);
        for (const source of from) {
            const value = source.get(spec);
            if (isSet(value)) {
                return { values: value.values, exact: value.exact === true, label: source.label(spec) ?? name };
            }
        }
        return undefined;
    }
    /** Whether any source can give the setting. */
    offers(name) {
        const spec = settingSpec(name);
        return this.sources.some((s) => s.label(spec) !== undefined);
    }
    label(name) {
        const spec = settingSpec(name);
        return this.sources.map((s) => s.label(spec)).find((l) => l !== undefined) ?? name;
    }
    /** Every name a setting may be given under, for "set X, Y or Z". */
    places(name) {
        const spec = settingSpec(name);
        const labels = this.sources.map((s) => s.label(spec)).filter((l) => l !== undefined);
        return labels.length > 1 ? `${labels.slice(0, -1).join(", ")} or ${labels.at(-1)}` : (labels[0] ?? name);
    }
    /** The text of a single-valued setting (the last, when given twice), or its default. */
    text(name) {
        const found = this.find(name);
        if (found)
            return { value: found.values.at(-1).trim(), label: found.label };
        return { value: settingSpec(name).default ?? "", label: this.label(name) };
    }
    /** Whether a setting is "*", every one; "*" among other values is refused. */
    every(name) {
        const found = this.find(name);
        const values = found?.values
            .flatMap((v) => v.split(/[\r\n,]/))
            .map((v) => v.trim())
            .filter(Boolean) ?? [];
        if (!values.includes(EVERY))
            return false;
        if (values.length > 1) {
            throw new InputError(name, `${found.label}: "${EVERY}" means every one, and cannot be given with other IDs.`);
        }
        return true;
    }
    /** A list setting's IDs, with those of the file that feeds it, each checked, each once. */
    ids(name) {
        const spec = settingSpec(name);
        const found = this.find(name);
        const inline = !found
            ? []
            : found.exact
                ? found.values.map((v) => v.trim()).filter(Boolean)
                : found.values.flatMap((v) => splitIds(v, spec.ids, name, found.label));
        inline.forEach((id) => checkId(id, spec.ids, name, found.label));
        if (found && !found.exact) {
            const lines = found.values.filter((v) => /[\r\n]/.test(v)).flatMap((v) => v.split(/\r\n|\r|\n/));
            lines.forEach((line, i) => {
                if (line.includes(","))
                    this.warnCommaLine(found.label, `line ${i + 1}`, line.trim());
            });
        }
        const file = SETTINGS.find((s) => s.feeds === name);
        const listed = file ? this.fileIds(file.name, spec.ids) : [];
        return { ids: [...new Set([...inline, ...listed])], label: found?.label ?? this.label(name) };
    }
    /** The IDs of a list file: one per line, blank lines and lines starting with # left out. */
    fileIds(name, kind) {
        const found = this.find(name);
        if (!found)
            return [];
        const given = found.values.at(-1).trim();
        const path = (0,external_node_path_namespaceObject.resolve)(this.files.baseDirectory, given);
        const refuse = (why) => {
            throw new InputError(name, `${found.label}: ${quote(path)} ${why}`);
        };
        let text;
        try {
            const real = (0,external_node_fs_namespaceObject.realpathSync)(path);
            const base = realDirectory(this.files.baseDirectory);
            if (!this.files.allowOutside && !isInside(real, base)) {
                const { baseName, remedy } = this.files;
                const where = real === path ? `${quote(given)} is` : `${quote(given)} leads to ${quote(real)},`;
                throw new InputError(name, `${found.label}: ${where} outside ${baseName} (${base}): list files are read only from there. ${remedy}`);
            }
            text = readRegularFile(real, refuse);
        }
        catch (error) {
            if (error instanceof InputError)
                throw error;
            throw new InputError(name, `${found.label}: cannot read ${quote(path)}: ${error.message}`);
        }
        const lines = text.split(/\r\n|\r|\n/).map((line, i) => ({ id: line.trim(), line: i + 1 }));
        const ids = lines.filter(({ id }) => id !== "" && !id.startsWith("#"));
        ids.forEach(({ id, line }, i) => {
            try {
                checkId(id, kind, name, found.label);
            }
            catch (error) {
                if (!(error instanceof InputError))
                    throw error;
                // The line could be anything (a file that is not a list): say where and why, never what.
                throw new InputError(name, `${found.label}: line ${line} of ${quote(path)} is not a ${ID_NAMES[kind]}: ${lineProblem(id, kind)} (the line is not shown).`);
            }
            if (id.includes(", "))
                this.warnCommaLine(found.label, `${quote(path)}, ID ${i + 1}`, id);
        });
        return ids.map(({ id }) => id);
    }
    /** A line of a list is one ID, comma or not: when it looks like several, say how it was read. */
    warnCommaLine(label, where, id) {
        this.warnings.push(`${label}, ${where}: ${quote(id)} holds a comma and is read as one ID, as each line of a list is. If it lists several IDs, put each on a line of its own.`);
    }
    /** The secret key and the UserSig are one credential: it comes from the first source that sets either. */
    auth() {
        const source = this.sources.find((s) => isSet(s.get(settingSpec("secret-key"))) || isSet(s.get(settingSpec("user-sig"))));
        if (!source) {
            throw new InputError("secret-key", `${this.label("secret-key")} or ${this.label("user-sig")} is required: pass the app's secret key from a secret (set ${this.places("secret-key")}), or a ready admin UserSig.`);
        }
        const key = this.find("secret-key", [source]);
        const sig = this.find("user-sig", [source]);
        if (key && sig)
            throw new InputError("secret-key", `${key.label} and ${sig.label} are both set; give only one of them.`);
        if (key)
            return { secretKey: key.values.at(-1).trim() };
        return { userSig: sig.values.at(-1).trim() };
    }
}
function parseInteger(name, r, what) {
    const { min, max } = settingSpec(name).range;
    const { value, label } = r.text(name);
    const number = Number(value);
    if (!/^\d+$/.test(value) || number < min || number > max) {
        throw new InputError(name, `${label}: expected ${what} from ${min} to ${max}, got ${quote(value)}.`);
    }
    return number;
}
/** A plain decimal number (5, 2.5, 0.5), or undefined: no sign, exponent, other base or bare point. */
function parseDecimal(text) {
    return /^\d+(\.\d+)?$/.test(text) ? Number(text) : undefined;
}
function parseNumber(name, r) {
    const { min, max } = settingSpec(name).range;
    const { value, label } = r.text(name);
    const number = parseDecimal(value);
    if (number === undefined || number < min || number > max) {
        throw new InputError(name, `${label}: expected a decimal number from ${min} to ${max} (such as 5 or 2.5), got ${quote(value)}.`);
    }
    return number;
}
function parseBoolean(name, r) {
    const { value, label } = r.text(name);
    if (/^(true|True|TRUE)$/.test(value))
        return true;
    if (/^(false|False|FALSE)$/.test(value))
        return false;
    throw new InputError(name, `${label}: expected true or false, got ${quote(value)}.`);
}
function parseSdkAppId(r) {
    const { value, label } = r.text("sdk-app-id");
    if (value === "") {
        throw new InputError("sdk-app-id", `${label}: the SDKAppID is required: set ${r.places("sdk-app-id")}.`);
    }
    const number = Number(value);
    if (!/^\d+$/.test(value) || number < 1 || number >= SDK_APP_ID_LIMIT) {
        throw new InputError("sdk-app-id", `${label}: expected the SDKAppID, a number such as 1400000000 (below 2^32), got ${quote(value)}. Copy it from the Chat console.`);
    }
    return number;
}
function parseRegion(r) {
    const { value, label } = r.text("region");
    if (!isRegion(value)) {
        throw new InputError("region", `${label}: unknown region ${quote(value)}; use one of ${REGION_NAMES.join(", ")}.`);
    }
    return value;
}
function parseEndpoint(r) {
    const { value, label } = r.text("endpoint");
    if (value === "")
        return undefined;
    const problem = endpointProblem(value);
    if (problem)
        throw new InputError("endpoint", `${label}: endpoint ${quote(value)} ${problem}.`);
    return value;
}
function parseChoice(name, r) {
    const choices = settingSpec(name).choices;
    const { value, label } = r.text(name);
    if (!choices.includes(value)) {
        throw new InputError(name, `${label}: expected ${choices.join(" or ")}, got ${quote(value)}.`);
    }
    return value;
}
const DURATION_UNIT_SECONDS = {
    s: 1,
    m: 60,
    h: 3600,
    d: 86_400,
    w: 604_800,
};
/** Durations back from now reach at most this far. */
const MAX_DURATION_SECONDS = 3650 * 86_400;
const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|([+-])(\d{2}):(\d{2}))$/;
/** Milliseconds since the epoch of an ISO 8601 time with its zone; undefined for a date or time that does not exist (February 30th, 25:00). */
function isoTimeMs(value) {
    const match = ISO_TIME.exec(value);
    if (!match)
        return undefined;
    const [year, month, day, hour, minute, second = 0] = match.slice(1, 7).map((n) => (n ? Number(n) : 0));
    const [sign, zoneHours, zoneMinutes] = [match[7], Number(match[8] ?? 0), Number(match[9] ?? 0)];
    const utc = Date.UTC(year, month - 1, day, hour, minute, second);
    const date = new Date(utc);
    const exists = date.getUTCFullYear() === year &&
        date.getUTCMonth() === month - 1 &&
        date.getUTCDate() === day &&
        hour <= 23 &&
        minute <= 59 &&
        second <= 59 &&
        zoneHours <= 23 &&
        zoneMinutes <= 59;
    return exists ? utc - (sign === "-" ? -1 : 1) * (zoneHours * 60 + zoneMinutes) * 60_000 : undefined;
}
/** A time setting, in seconds since the epoch: an ISO 8601 time with its zone, or a duration back from `nowMs`. */
function parseTime(name, r, nowMs) {
    const { value, label } = r.text(name);
    if (value === "")
        return undefined;
    const expected = `expected an ISO 8601 time with its zone, such as 2026-12-01T08:00:00Z, or a duration back from now, such as 90m, 36h or 7d (units s, m, h, d, w), got ${quote(value)}.`;
    if (/^(\d+[smhdw])+$/.test(value)) {
        let seconds = 0;
        for (const [, amount, unit] of value.matchAll(/(\d+)([smhdw])/g))
            seconds += Number(amount) * DURATION_UNIT_SECONDS[unit];
        if (seconds > MAX_DURATION_SECONDS)
            throw new InputError(name, `${label}: ${quote(value)} reaches back more than 3650 days.`);
        return Math.floor(nowMs / 1000) - seconds;
    }
    const ms = isoTimeMs(value);
    if (ms === undefined)
        throw new InputError(name, `${label}: ${expected}`);
    if (name === "since" && ms > nowMs)
        throw new InputError(name, `${label}: ${quote(value)} is in the future: no message was sent after it yet.`);
    return Math.floor(ms / 1000);
}
function selectionOf(r, nowMs) {
    const since = parseTime("since", r, nowMs);
    const until = parseTime("until", r, nowMs);
    if (since !== undefined && until !== undefined && since > until) {
        throw new InputError("until", `${r.text("until").label}: the window ends before it starts (${r.text("since").label} is later); swap them.`);
    }
    return {
        depth: parseInteger("depth", r, "a number of messages"),
        ...(since === undefined ? {} : { since }),
        ...(until === undefined ? {} : { until }),
    };
}
function parseReason(r) {
    const { value, label } = r.text("reason");
    if (value === "")
        return undefined;
    if (/\p{Cc}/u.test(value))
        throw new InputError("reason", `${label}: the reason must be one line of text, with no control characters.`);
    const bytes = Buffer.byteLength(value);
    if (bytes > MAX_REASON_BYTES)
        throw new InputError("reason", `${label}: the reason is ${bytes} bytes in UTF-8; group_msg_recall takes at most ${MAX_REASON_BYTES}.`);
    return value;
}
/** The archive file: off, the front door's default file (true), or a path from the base directory. */
function parseArchive(r, baseDirectory, defaultFile) {
    const { value, label } = r.text("archive");
    if (/^(false|False|FALSE)?$/.test(value))
        return {};
    if (/^(true|True|TRUE)$/.test(value)) {
        if (!defaultFile)
            throw new InputError("archive", `${label}: give the path of the file to write.`);
        return { file: defaultFile };
    }
    return { file: (0,external_node_path_namespaceObject.resolve)(baseDirectory, value) };
}
function parseIdentifier(r) {
    const { value, label } = r.text("identifier");
    checkId(value, "user", "identifier", label);
    return value;
}
/** Collects the problems of several independent checks, so that each can be reported. */
class Checks {
    unknown;
    problems = [];
    constructor(unknown) {
        this.unknown = unknown;
    }
    /** The value `read` gives, or undefined when it reads a setting not known yet or finds a problem. */
    part(reads, read) {
        if (reads.some((name) => this.unknown.has(name)))
            return undefined;
        try {
            return read();
        }
        catch (error) {
            if (!(error instanceof InputError))
                throw error;
            this.problems.push(error);
            return undefined;
        }
    }
}
/** How calls are made; a proxy in `env` that those calls would go through and that cannot be used is refused. */
function connectionOf(r, checks, env) {
    const endpoint = checks.part(["endpoint"], () => parseEndpoint(r));
    const parts = {
        sdkAppId: checks.part(["sdk-app-id"], () => parseSdkAppId(r)),
        identifier: checks.part(["identifier"], () => parseIdentifier(r)),
        auth: checks.part(["secret-key", "user-sig"], () => r.auth()),
        region: checks.part(["region"], () => parseRegion(r)),
        maxAttempts: checks.part(["max-attempts"], () => parseInteger("max-attempts", r, "a whole number")),
        requestTimeoutMs: checks.part(["request-timeout"], () => parseNumber("request-timeout", r) * 1000),
        maxCallsPerSecond: checks.part(["max-calls-per-second"], () => parseNumber("max-calls-per-second", r)),
    };
    if (Object.values(parts).some((v) => v === undefined))
        return undefined;
    const complete = parts;
    const proxy = proxyProblem(env, baseUrls(complete.region, endpoint));
    if (proxy)
        checks.problems.push(new InputError("endpoint", proxy));
    return { ...complete, ...(endpoint ? { endpoint } : {}) };
}
function requireIds(name, r, what) {
    const { ids, label } = r.ids(name);
    if (ids.length === 0) {
        const file = SETTINGS.find((s) => s.feeds === name && r.offers(s.name));
        throw new InputError(name, `${label}: give at least one ${what}${file ? ` (or ${r.label(file.name)})` : ""}.`);
    }
    return ids;
}
/** The connection alone, for front doors that do not recall (the history command). */
function resolveConnection(sources, env = process.env) {
    const checks = new Checks(new Set());
    const connection = connectionOf(new Resolver(sources), checks, env);
    if (checks.problems.length > 0)
        throw checks.problems[0];
    return connection;
}
function checkSettings(sources, options = {}) {
    const unknown = options.unknown ?? new Set();
    const baseDirectory = options.baseDirectory ?? process.cwd();
    const r = new Resolver(sources, {
        baseDirectory,
        ...(options.baseDirectoryName === undefined ? {} : { baseName: options.baseDirectoryName }),
        ...(options.allowListFilesOutsideBase === undefined
            ? {}
            : { allowOutside: options.allowListFilesOutsideBase }),
        ...(options.outsideBaseRemedy === undefined ? {} : { remedy: options.outsideBaseRemedy }),
    });
    const checks = new Checks(unknown);
    const joinedGroups = checks.part(["joined-groups"], () => parseBoolean("joined-groups", r));
    const where = checks.part(["group", "group-file", "topic", "group-type", "exclude-group", "joined-groups"], () => whereOf(r, joinedGroups));
    const how = {
        mode: checks.part(["mode"], () => parseChoice("mode", r)),
        selection: checks.part(["depth", "since", "until"], () => selectionOf(r, options.nowMs ?? Date.now())),
        archive: checks.part(["archive"], () => parseArchive(r, baseDirectory, options.defaultArchive)),
    };
    const reason = checks.part(["reason", "mode", "depth", "since", "until", "archive"], () => {
        const reason = parseReason(r);
        const { mode, selection, archive } = how;
        if (reason === undefined || !mode || !selection || !archive)
            return { reason };
        if (!recallsBySeq({ mode, selection, ...(archive.file ? { archive: archive.file } : {}) })) {
            throw new InputError("reason", `${r.text("reason").label}: the silent recall (delete_group_msg_by_sender) has no reason field; set mode to notify (or a time window, a depth or archive, which recall by seq) to send one, or leave the reason out.`);
        }
        return { reason };
    });
    const settings = {
        ...where,
        senders: checks.part(["sender", "sender-file"], () => requireIds("sender", r, "sender user ID")),
        connection: connectionOf(r, checks, options.env ?? process.env),
        preflight: checks.part(["preflight"], () => parseBoolean("preflight", r)),
        dryRun: checks.part(["dry-run"], () => parseBoolean("dry-run", r)),
        verify: checks.part(["verify"], () => parseBoolean("verify", r)),
        mode: how.mode,
        selection: how.selection,
    };
    const complete = checks.problems.length === 0 &&
        where !== undefined &&
        reason !== undefined &&
        how.archive !== undefined &&
        Object.values(settings).every((v) => v !== undefined);
    if (!complete)
        return { problems: checks.problems };
    return {
        settings: {
            ...settings,
            ...(reason.reason === undefined ? {} : { reason: reason.reason }),
            ...(how.archive.file ? { archive: how.archive.file } : {}),
            warnings: r.warnings,
        },
        problems: [],
    };
}
/** The types a fan-out lists: those asked for (aliases taken), or every type that keeps history. */
function groupTypesOf(r, fanOut) {
    const found = r.find("group-type");
    if (!found)
        return [...LISTED_TYPES];
    if (!fanOut) {
        throw new InputError("group-type", `${found.label}: filters the groups that group "${EVERY}" or joined-groups find; with listed groups, list only those to recall in.`);
    }
    const names = found.values.flatMap((v) => v.split(/[\s,]+/)).filter(Boolean);
    const types = names.map((name) => {
        const type = TYPE_ALIASES[name] ?? name;
        if (type === "AVChatRoom") {
            throw new InputError("group-type", `${found.label}: AVChatRoom groups keep no history, so there is nothing to recall in them.`);
        }
        if (!LISTED_TYPES.includes(type)) {
            throw new InputError("group-type", `${found.label}: unknown group type ${quote(name)}; use ${[...LISTED_TYPES, ...Object.keys(TYPE_ALIASES)].join(", ")}.`);
        }
        return type;
    });
    return [...new Set(types)];
}
/** Where to recall: the listed groups or topics, or groups and topics to find first. */
function whereOf(r, joinedGroups) {
    const everyGroup = r.every("group");
    if (everyGroup && r.find("group-file")) {
        throw new InputError("group-file", `${r.label("group-file")}: group "${EVERY}" means every group; give no group file with it.`);
    }
    const everyTopic = r.every("topic");
    const types = groupTypesOf(r, everyGroup || joinedGroups);
    const exclude = new Set(r.ids("exclude-group").ids);
    if ((everyGroup || joinedGroups) && r.find("topic") && !everyTopic) {
        throw new InputError("topic", `${r.label("topic")}: with ${everyGroup ? `group "${EVERY}"` : r.label("joined-groups")}, give topic "${EVERY}" for every topic, or no topic.`);
    }
    const listed = everyGroup ? [] : joinedGroups ? r.ids("group").ids : requireIds("group", r, "group ID");
    const groups = everyGroup ? "all" : listed.filter((g) => !exclude.has(g));
    if (everyGroup || everyTopic || joinedGroups)
        return { scopes: [], discover: { groups, types, exclude, everyTopic, joined: joinedGroups } };
    return { scopes: planScopes(groups, r.ids("topic").ids, r.label("topic")) };
}
/** Reads and checks every setting; the first problem is thrown, naming the setting as the user gave it. */
function resolveSettings(sources, options = {}) {
    const { settings, problems } = checkSettings(sources, options);
    if (problems.length > 0)
        throw problems[0];
    return settings;
}

;// CONCATENATED MODULE: ./src/recall/result.ts

const FAILING = new Set(["failed", "not-attempted"]);
/** What a pair that ended well says when its messages were counted and the sender had none there. */
const NOTHING_TO_RECALL = "nothing to recall";
/** Whether a pair ended well with its messages counted, and none of the sender's there. */
function hadNothing(result) {
    return !FAILING.has(result.outcome) && result.messages === 0 && !result.remaining;
}
function resultOf(pair, outcome, detail) {
    const result = {
        group: pair.group,
        sender: pair.sender,
        topic: pair.topic ?? null,
        outcome,
        actionStatus: FAILING.has(outcome) ? "FAIL" : "OK",
        errorCode: detail.code,
        errorInfo: detail.info,
        attempts: detail.attempts ?? 0,
        reads: detail.reads ?? 0,
        messages: detail.messages ?? null,
        remaining: detail.remaining ?? null,
    };
    return hadNothing(result) && !result.errorInfo ? { ...result, errorInfo: NOTHING_TO_RECALL } : result;
}
function notAttempted(pair, why) {
    return resultOf(pair, "not-attempted", { code: NOT_ATTEMPTED, info: why, fromServer: false });
}

;// CONCATENATED MODULE: ./src/chat/abort.ts
const listeners = new WeakMap();
/**
 * Calls `listener` once `signal` aborts (soon after, if it has); returns a function that forgets it.
 * Thousands of calls may wait on one signal, and an AbortSignal searches its own listeners one by
 * one on every add, so each signal gets a single listener of its own that calls the rest.
 */
function onAbort(signal, listener) {
    if (!signal)
        return () => { };
    if (signal.aborted) {
        let forgotten = false;
        queueMicrotask(() => forgotten || listener());
        return () => (forgotten = true);
    }
    let waiting = listeners.get(signal);
    if (!waiting) {
        const all = new Set();
        listeners.set(signal, (waiting = all));
        signal.addEventListener("abort", () => [...all].forEach((l) => l()), { once: true });
    }
    const mine = waiting;
    mine.add(listener);
    return () => mine.delete(listener);
}

;// CONCATENATED MODULE: ./src/chat/clock.ts

const systemClock = {
    // process.hrtime, not performance.now(): the global `performance` loads perf_hooks at first use.
    now: () => Number(process.hrtime.bigint()) / 1e6,
    epochSeconds: () => Math.floor(Date.now() / 1000),
    sleep: (ms, signal) => new Promise((resolve) => {
        const done = () => {
            clearTimeout(timer);
            forget();
            resolve();
        };
        const timer = setTimeout(done, ms);
        const forget = onAbort(signal, done);
    }),
};

;// CONCATENATED MODULE: external "node:crypto"
const external_node_crypto_namespaceObject = require("node:crypto");
;// CONCATENATED MODULE: ./src/chat/answer.ts


/** The fields an answer is judged by: each must come once. */
const JUDGED_FIELDS = ["ActionStatus", "ErrorCode", "ErrorInfo"];
/** How much of a body that is not a Chat API answer is shown. */
const SHOWN_BODY_CHARS = 200;
function infoText(value) {
    if (value === undefined || value === null)
        return "";
    return typeof value === "string" ? value : JSON.stringify(value);
}
/**
 * Decides what an HTTP exchange means. Success is `ActionStatus` "OK" and `ErrorCode` the number 0,
 * nothing less. A non-zero numeric ErrorCode is the server's failure, whatever ActionStatus says;
 * any other combination is an inconsistent answer, and so is an answer that holds one of the fields
 * it is judged by more than once (JSON.parse would keep the last and hide the others). A body that is not a JSON object, an HTTP error
 * and no answer at all carry no ErrorCode: they are retried when a later attempt may fare better (not
 * when the transport refused to send, nor when the server does not speak TLS).
 * Every text taken from the exchange goes through `clean` (redaction and a length bound) before it
 * is cut or kept.
 */
function judge(outcome, clean) {
    if (outcome.kind === "no-answer") {
        return {
            ok: false,
            code: NO_ANSWER,
            fromServer: false,
            info: clean(outcome.reason),
            retry: outcome.refused ? "permanent" : "transient",
            connectFailure: outcome.connectFailure,
        };
    }
    const { status, body } = outcome;
    const retryAfter = outcome.retryAfterMs === undefined ? {} : { retryAfterMs: outcome.retryAfterMs };
    if (status !== 200) {
        const retry = status === 429 ? "rate-limited" : status >= 500 ? "transient" : "permanent";
        return { ok: false, code: NO_ANSWER, fromServer: false, info: `HTTP ${status}`, retry, ...retryAfter };
    }
    let parsed;
    try {
        parsed = JSON.parse(body);
    }
    catch {
        parsed = undefined;
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
        const shown = clean(body).replace(/\s+/g, " ").trim().slice(0, SHOWN_BODY_CHARS);
        return {
            ok: false,
            code: NO_ANSWER,
            fromServer: false,
            info: `HTTP 200 with a body that is not a Chat API answer: ${shown || "(empty)"}`,
            retry: "transient",
        };
    }
    const [repeated] = repeatedTopLevelKeys(body, JUDGED_FIELDS);
    if (repeated !== undefined) {
        return {
            ok: false,
            code: INCONSISTENT_ANSWER,
            fromServer: false,
            info: `the answer has ${repeated} more than once, so it cannot be judged`,
            retry: retryClass(INCONSISTENT_ANSWER, false),
        };
    }
    const answer = parsed;
    const { ActionStatus: actionStatus, ErrorCode: code } = answer;
    const info = infoText(answer.ErrorInfo);
    if (actionStatus === "OK" && code === 0) {
        return {
            ok: true,
            response: { ...answer, ActionStatus: "OK", ErrorCode: 0, ErrorInfo: clean(info) },
            text: body,
        };
    }
    if (typeof code === "number" && Number.isInteger(code) && code !== 0) {
        return { ok: false, code, fromServer: true, info: clean(info), retry: retryClass(code) };
    }
    const shape = `ActionStatus ${JSON.stringify(actionStatus ?? null)} with ErrorCode ${JSON.stringify(code ?? null)}`;
    return {
        ok: false,
        code: INCONSISTENT_ANSWER,
        fromServer: false,
        info: clean(info ? `${shape}: ${info}` : shape),
        retry: retryClass(INCONSISTENT_ANSWER, false),
    };
}

;// CONCATENATED MODULE: ./src/chat/exchange.ts




const UINT32_RANGE = 2 ** 32;
/**
 * Sends one attempt: the command's path with a fresh `random`, to the attempt's base URL, with its
 * UserSig, and judges what came back: an OK answer the call cannot read is a transient failure.
 * Every text taken from the exchange goes through `clean`.
 */
function exchange(transport, caller, clean) {
    return async ({ call, base, userSig }) => {
        const path = commandPath(call.command, { ...caller, userSig }, (0,external_node_crypto_namespaceObject.randomInt)(UINT32_RANGE));
        const outcome = await transport.post(base, path, call.payload, call.signals.abort);
        const verdict = judge(outcome, clean);
        const problem = verdict.ok ? call.unreadable?.(verdict.response) : undefined;
        if (problem === undefined)
            return { ...verdict, answered: outcome.kind === "answer" };
        const info = `the answer cannot be read: ${clean(problem)}`;
        return {
            ok: false,
            code: INCONSISTENT_ANSWER,
            fromServer: false,
            info,
            retry: "transient",
            answered: true,
        };
    };
}

;// CONCATENATED MODULE: ./src/chat/failover.ts
/**
 * Sends each attempt to the current base URL. When its host could not be reached at all, the next
 * base URL (the region's backup domain) is worth trying at once, and stays current for every call.
 */
function failover(bases, next) {
    let current = 0;
    return async (attempt) => {
        const tried = await next({ ...attempt, base: bases[current] });
        const from = current;
        if (tried.ok || !tried.connectFailure || from >= bases.length - 1)
            return tried;
        return { ...tried, mend: () => void (current = Math.max(current, from + 1)) };
    };
}

;// CONCATENATED MODULE: ./src/chat/limiter.ts


/** Share of the ceiling the limiter aims for, leaving room for timer and network jitter. */
const HEADROOM = 0.97;
/** The server counts calls over one second; so does the limiter. */
const WINDOW_MS = 1000;
/** Calls may go out this early (in ms of their spacing) to make up for late timers, so high rates are reachable. */
const BURST_MS = 5;
/** When at least this share of last second's answers were rate limited, the server's window is full... */
const FULL_WINDOW_SHARE = 0.1;
/** Shares are taken of at least this share of a second's calls at the target rate, so that a few early answers do not count for a whole second. */
const MIN_ANSWERS_SHARE = 0.5;
/** ...and the rate drops at once to this share of the calls the server admitted from this limiter over that second. */
const SHARE_KEPT = 0.95;
/** Fewer rate-limited answers lower the rate by their share, at most by this share and once per this many ms. */
const MAX_TRIM = 0.03;
const TRIM_INTERVAL_MS = 1000;
/** Callers of one app usually share its ceiling: a drop to within this share of an even split of the ceiling takes that split. */
const EVEN_SPLIT_TOLERANCE = 0.15;
/**
 * The rate climbs by this share of the ceiling per second, the same for every caller, so that
 * callers sharing a limit converge on fair shares (additive increase, multiplicative decrease)...
 */
const CLIMB_PER_SECOND = 0.0025;
/** ...and by this share of itself once no answer was rate limited for CALM_MS, to take up capacity others left. */
const FAST_CLIMB_PER_SECOND = 0.2;
const CALM_MS = 15_000;
const MIN_RATE_SHARE = 0.05;
/** Event times within the last window, oldest first. */
class RecentTimes {
    times = [];
    first = 0;
    add(now) {
        this.times.push(now);
        this.forgetBefore(now);
    }
    count(now) {
        this.forgetBefore(now);
        return this.times.length - this.first;
    }
    /** When the oldest event still in the window happened; call `count` first. */
    oldest() {
        return this.times[this.first];
    }
    forgetBefore(now) {
        while (this.first < this.times.length && this.times[this.first] + WINDOW_MS <= now)
            this.first++;
        if (this.first > 1024 && this.first * 2 > this.times.length) {
            this.times = this.times.slice(this.first);
            this.first = 0;
        }
    }
}
class CallNotSentError extends Error {
    name = "CallNotSentError";
}
/**
 * Decides when each call may go out, for every caller that awaits `acquire()` (in order of asking).
 * Calls are spaced evenly at a target rate below a calls-per-second ceiling, and no one-second window
 * of calls let through holds more than the target (at most the ceiling).
 *
 * The target follows the server's "rate limited" answers, which mean others use the same limit (or
 * the server's limit is lower). When many answers of the last second were rate limited, the server's
 * window is full: the target drops at once to a little less than what the server admitted from this
 * limiter over that second (or the even split of the ceiling close to it), and the window holds no
 * more than that, so the server's window can empty; answers to calls sent before that drop do not
 * lower it again. A few rate-limited answers trim the target by their share (at most 3 %), at most
 * once a second. The target climbs by a small share of
 * the ceiling per second, and faster after a calm spell, so callers that share one limit settle on
 * fair shares where few answers are rate limited, and one that runs alone stays at its ceiling.
 */
class RateLimiter {
    clock;
    onGrant;
    ceiling;
    target;
    /** When the next call is due by the spacing alone. */
    nextDue = -Infinity;
    granted = new RecentTimes();
    admitted = new RecentTimes();
    limited = new RecentTimes();
    /** When the target last dropped for a full window, and when it was last trimmed. */
    lastDrop = -Infinity;
    lastTrim = -Infinity;
    lastLimited = -Infinity;
    lastAdjust;
    queue = [];
    head = 0;
    waitingCount = 0;
    wakeScheduled = false;
    constructor(ceilingPerSecond, clock = systemClock, 
    /** Called after calls were let through, so that more work can be queued. */
    onGrant = () => { }) {
        this.clock = clock;
        this.onGrant = onGrant;
        if (!(ceilingPerSecond > 0))
            throw new RangeError("ceilingPerSecond must be positive");
        this.ceiling = ceilingPerSecond;
        this.target = ceilingPerSecond * HEADROOM;
        this.lastAdjust = clock.now();
    }
    /** The calls per second the limiter currently lets through. */
    get rate() {
        this.recover(this.clock.now());
        return this.target;
    }
    /** Calls waiting for their turn. */
    get waiting() {
        return this.waitingCount;
    }
    /**
     * Resolves with the time the call was let through; rejects with CallNotSentError when `signal`
     * is aborted first.
     */
    acquire(signal) {
        if (signal?.aborted)
            return Promise.reject(new CallNotSentError("cancelled before it was sent"));
        return new Promise((resolve, reject) => {
            const waiter = {
                done: false,
                resolve: (at) => {
                    forget();
                    resolve(at);
                },
            };
            const forget = onAbort(signal, () => {
                if (waiter.done)
                    return;
                waiter.done = true;
                this.waitingCount--;
                reject(new CallNotSentError("cancelled before it was sent"));
            });
            this.queue.push(waiter);
            this.waitingCount++;
            this.pump();
        });
    }
    /** Tells the limiter how the server answered a call let through at `grantedAt`. */
    onAnswer(grantedAt, rateLimited) {
        const now = this.clock.now();
        if (!rateLimited) {
            this.admitted.add(now);
            return;
        }
        this.recover(now);
        this.limited.add(now);
        this.lastLimited = now;
        const admitted = this.admitted.count(now);
        const limited = this.limited.count(now);
        const share = limited / Math.max(admitted + limited, this.target * MIN_ANSWERS_SHARE);
        const floor = this.ceiling * MIN_RATE_SHARE;
        if (share >= FULL_WINDOW_SHARE && grantedAt >= this.lastDrop) {
            this.target = Math.max(floor, Math.min(this.target, this.evenSplit(admitted)) * SHARE_KEPT);
            this.lastDrop = this.lastTrim = now;
        }
        else if (now - this.lastTrim >= TRIM_INTERVAL_MS) {
            this.target = Math.max(floor, this.target * (1 - Math.min(share, MAX_TRIM)));
            this.lastTrim = now;
        }
    }
    /**
     * The server admitted `admitted` calls from this limiter over a full second. When that is close
     * to the ceiling shared evenly by a whole number of callers, those callers are taken to be the
     * app's other users, and the even share is kept: every caller that shares the ceiling then starts
     * from the same rate, not from its luck in the second the window filled.
     */
    evenSplit(admitted) {
        const callers = Math.max(1, Math.round(this.ceiling / Math.max(admitted, 1)));
        const share = this.ceiling / callers;
        return Math.abs(share - admitted) <= EVEN_SPLIT_TOLERANCE * admitted ? share : admitted;
    }
    pump() {
        if (this.wakeScheduled)
            return;
        let granted = 0;
        for (;;) {
            const waiter = this.nextWaiter();
            if (!waiter)
                break;
            const now = this.clock.now();
            const wait = this.earliest(now) - now;
            if (wait > 0) {
                this.wakeScheduled = true;
                void this.clock.sleep(wait).then(() => {
                    this.wakeScheduled = false;
                    this.pump();
                });
                break;
            }
            this.nextDue = Math.max(this.nextDue, now) + 1000 / this.target;
            this.granted.add(now);
            this.head++;
            waiter.done = true;
            this.waitingCount--;
            granted++;
            waiter.resolve(now);
        }
        if (granted > 0)
            this.onGrant();
    }
    nextWaiter() {
        while (this.head < this.queue.length && this.queue[this.head].done)
            this.head++;
        if (this.head > 1024 && this.head * 2 > this.queue.length) {
            this.queue = this.queue.slice(this.head);
            this.head = 0;
        }
        return this.queue[this.head];
    }
    /** When the next call may go: by the spacing (with a little burst), and when the window has room. */
    earliest(now) {
        this.recover(now);
        const interval = 1000 / this.target;
        let earliest = this.nextDue - Math.max(interval, BURST_MS);
        if (this.granted.count(now) >= Math.max(1, Math.floor(this.target))) {
            earliest = Math.max(earliest, this.granted.oldest() + WINDOW_MS);
        }
        return earliest;
    }
    /** Climbs slowly since the last adjustment, and fast for the part of that time that was calm. */
    recover(now) {
        const from = this.lastAdjust;
        if (now <= from)
            return;
        this.lastAdjust = now;
        const calmFrom = Math.max(from, Math.min(now, this.lastLimited + CALM_MS));
        const slow = this.target + (this.ceiling * CLIMB_PER_SECOND * (calmFrom - from)) / 1000;
        const fast = slow * (1 + (FAST_CLIMB_PER_SECOND * (now - calmFrom)) / 1000);
        this.target = Math.min(this.ceiling * HEADROOM, fast);
    }
}

;// CONCATENATED MODULE: ./src/chat/retry.ts


/** Rate-limited answers are the server pacing its callers, not failures: they do not use up maxAttempts, but are retried at most this often. */
const RATE_LIMITED_RETRIES = 20;
/** ...and for at most this long from the first of them, Retry-After or not. */
const RATE_LIMITED_BUDGET_MS = 60_000;
const DEFAULT_BACKOFF_BASE_MS = 250;
const BACKOFF_CAP_MS = 8000;
const RATE_LIMITED_PAUSE_MS = 100;
const RETRY_AFTER_CAP_MS = 30_000;
/**
 * Whether a failure is worth another attempt: a transient one within maxAttempts, a rate-limited one
 * within RATE_LIMITED_RETRIES (and RATE_LIMITED_BUDGET_MS), an expired UserSig only when a fresh one
 * is at hand.
 */
function retryable(failure, tally, maxAttempts) {
    switch (failure.retry) {
        case "transient":
            return tally.used < maxAttempts;
        case "rate-limited":
            return tally.rateLimited <= RATE_LIMITED_RETRIES;
        case "resign":
            return failure.mend !== undefined;
        case "permanent":
            return false;
    }
}
/**
 * Capped exponential back-off with full jitter after a transient failure, the exponent counting the
 * call's transient failures only. A rate-limited call goes back to its limiter after a short random
 * pause: the limiter, now slower, decides when. The server's Retry-After is honoured, within a cap.
 */
function backoffMs(failure, tally, baseMs, random) {
    const ceiling = failure.retry === "rate-limited"
        ? RATE_LIMITED_PAUSE_MS
        : Math.min(BACKOFF_CAP_MS, baseMs * 2 ** (tally.transient - 1));
    return Math.max(random() * ceiling, Math.min(failure.retryAfterMs ?? 0, RETRY_AFTER_CAP_MS));
}
function callFailure(command, last, attempts) {
    if (!last)
        return new ChatApiError(command, NOT_ATTEMPTED, "the run stopped before this call was sent", 0, false);
    const rateLimited = last.retry === "rate-limited";
    return new ChatApiError(command, last.code, last.info, attempts, last.fromServer, rateLimited);
}
/**
 * Makes attempts until one succeeds or the call must give up, and throws ChatApiError then. A failure
 * that a layer mended is retried at once, any other after its back-off. No attempt starts once the
 * call's stop has come: its code is NOT_ATTEMPTED when nothing was sent.
 */
function retry(policy, next) {
    const { maxAttempts, clock, onRetry } = policy;
    const baseMs = policy.backoffBaseMs ?? DEFAULT_BACKOFF_BASE_MS;
    const random = policy.random ?? Math.random;
    return async (call) => {
        const { command, signals } = call;
        const tally = { used: 0, transient: 0, rateLimited: 0 };
        let last;
        for (let attempt = 1;; attempt++) {
            const tried = await next({ call }).catch((error) => {
                throw error instanceof CallNotSentError ? callFailure(command, last, attempt - 1) : error;
            });
            if (tried.ok)
                return { response: tried.response, text: tried.text, attempts: attempt };
            last = tried;
            if (tried.retry === "rate-limited") {
                tally.rateLimited++;
                tally.rateLimitedSince ??= clock.now();
            }
            else
                tally.used++;
            if (tried.retry === "transient")
                tally.transient++;
            if (!retryable(tried, tally, maxAttempts) || signals.stop?.aborted)
                throw callFailure(command, tried, attempt);
            let delayMs = 0;
            if (tried.mend)
                tried.mend();
            else
                delayMs = backoffMs(tried, tally, baseMs, random);
            if (tried.retry === "rate-limited" &&
                clock.now() + delayMs - tally.rateLimitedSince > RATE_LIMITED_BUDGET_MS)
                throw callFailure(command, tried, attempt);
            const { code, fromServer, info } = tried;
            onRetry?.({ command, attempt, code, fromServer, info, retry: tried.retry, delayMs });
            if (delayMs > 0)
                await clock.sleep(delayMs, signals.stop);
            if (signals.stop?.aborted)
                throw callFailure(command, tried, attempt);
        }
    };
}

;// CONCATENATED MODULE: external "node:zlib"
const external_node_zlib_namespaceObject = require("node:zlib");
;// CONCATENATED MODULE: ./src/chat/usersig.ts


const DEFAULT_USERSIG_LIFETIME_SECONDS = 86_400;
function signUserSig(secretKey, claims) {
    const time = claims.time ?? Math.floor(Date.now() / 1000);
    const doc = {
        "TLS.ver": "2.0",
        "TLS.identifier": claims.identifier,
        "TLS.sdkappid": claims.sdkAppId,
        "TLS.time": time,
        "TLS.expire": claims.expire,
        "TLS.sig": hmac(secretKey, { ...claims, time }),
    };
    const packed = (0,external_node_zlib_namespaceObject.deflateSync)(Buffer.from(JSON.stringify(doc))).toString("base64");
    return packed.replace(/\+/g, "*").replace(/\//g, "-").replace(/=/g, "_");
}
/** Decodes a UserSig and checks its HMAC against the secret key and its expiry against `nowSeconds`. */
function verifyUserSig(userSig, secretKey, nowSeconds = Math.floor(Date.now() / 1000)) {
    const claims = decodeUserSig(userSig);
    if (!claims)
        return { ok: false, reason: "malformed" };
    const expected = Buffer.from(hmac(secretKey, claims));
    const given = Buffer.from(claims.sig);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
        return { ok: false, reason: "bad-signature", claims };
    }
    if (nowSeconds > claims.time + claims.expire)
        return { ok: false, reason: "expired", claims };
    return { ok: true, claims };
}
/** Reads the claims of a UserSig without checking its signature, or undefined when it is not one. */
function decodeUserSig(userSig) {
    try {
        const doc = JSON.parse(inflateUserSig(userSig) ?? "");
        const identifier = doc["TLS.identifier"];
        const sdkAppId = doc["TLS.sdkappid"];
        const time = doc["TLS.time"];
        const expire = doc["TLS.expire"];
        const sig = doc["TLS.sig"];
        if (doc["TLS.ver"] !== "2.0" ||
            typeof identifier !== "string" ||
            typeof sdkAppId !== "number" ||
            typeof time !== "number" ||
            typeof expire !== "number" ||
            typeof sig !== "string") {
            return undefined;
        }
        return { identifier, sdkAppId, time, expire, sig };
    }
    catch {
        return undefined;
    }
}
/** The UserSig in standard base64, as it is before the URL-safe substitutions. */
function userSigAsBase64(userSig) {
    return userSig.replace(/\*/g, "+").replace(/-/g, "/").replace(/_/g, "=");
}
/** The JSON text a UserSig packs, or undefined when it is not one. */
function inflateUserSig(userSig) {
    try {
        return (0,external_node_zlib_namespaceObject.inflateSync)(Buffer.from(userSigAsBase64(userSig), "base64")).toString("utf8");
    }
    catch {
        return undefined;
    }
}
function hmac(secretKey, claims) {
    const content = `TLS.identifier:${claims.identifier}\n` +
        `TLS.sdkappid:${claims.sdkAppId}\n` +
        `TLS.time:${claims.time}\n` +
        `TLS.expire:${claims.expire}\n`;
    return (0,external_node_crypto_namespaceObject.createHmac)("sha256", Buffer.from(secretKey, "utf8")).update(content).digest("base64");
}

;// CONCATENATED MODULE: ./src/chat/secrets.ts

const REDACTED = "***";
const USERSIG_QUERY = /(usersig=)[^&\s"']*/gi;
function uriForms(text) {
    const encoded = encodeURIComponent(text);
    const upper = encoded.replace(/\*/g, "%2A");
    return [encoded, upper, upper.replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase())];
}
function jsonForms(text) {
    const escaped = JSON.stringify(text).slice(1, -1);
    return [escaped, escaped.replace(/\//g, "\\/")];
}
/** Every way a text may be written where a secret could leak: as is, URL-encoded, JSON-escaped, base64. */
function writtenForms(text) {
    return [text, ...uriForms(text), ...jsonForms(text), Buffer.from(text, "utf8").toString("base64")];
}
/**
 * The secrets of a run (the secret key, every UserSig) in every form they may take. Each form is
 * announced to `onSecret` (to mask it in the runner log) when it is added, before it is used, and
 * `redact` removes every known form, and any `usersig=` query value, from a text.
 */
class Secrets {
    onSecret;
    forms = new Set();
    ordered = [];
    constructor(onSecret = () => { }) {
        this.onSecret = onSecret;
    }
    addSecretKey(secretKey) {
        this.add(writtenForms(secretKey));
    }
    /** The UserSig, its standard base64 form, its inflated JSON and the HMAC inside it, each as written anywhere. */
    addUserSig(userSig) {
        const parts = [userSig, userSigAsBase64(userSig)];
        const json = inflateUserSig(userSig);
        if (json)
            parts.push(json);
        const sig = decodeUserSig(userSig)?.sig;
        if (sig)
            parts.push(sig);
        this.add(parts.flatMap(writtenForms));
    }
    redact(text) {
        let out = text.replace(USERSIG_QUERY, `$1${REDACTED}`);
        for (const form of this.ordered)
            out = out.replaceAll(form, REDACTED);
        return out;
    }
    add(forms) {
        const before = this.forms.size;
        for (const form of forms) {
            if (form.trim() === "" || this.forms.has(form))
                continue;
            this.forms.add(form);
            this.onSecret(form);
        }
        if (this.forms.size > before)
            this.ordered = [...this.forms].sort((a, b) => b.length - a.length);
    }
}

;// CONCATENATED MODULE: ./src/chat/signing.ts

/** A UserSig the client signed is renewed this long before it expires (or halfway, if sooner). */
const RESIGN_MARGIN_SECONDS = 300;
/**
 * The UserSig attempts are sent with. Given the secret key, it signs one, renews it before it
 * expires, and signs anew after `renew`; each is added to the run's secrets before it is used.
 * A UserSig given as such is used as it is, and cannot be renewed.
 */
class Signer {
    auth;
    caller;
    secrets;
    clock;
    lifetimeSeconds;
    sig;
    constructor(auth, caller, secrets, clock, lifetimeSeconds = DEFAULT_USERSIG_LIFETIME_SECONDS) {
        this.auth = auth;
        this.caller = caller;
        this.secrets = secrets;
        this.clock = clock;
        this.lifetimeSeconds = lifetimeSeconds;
        if ("secretKey" in auth)
            secrets.addSecretKey(auth.secretKey);
        else
            secrets.addUserSig(auth.userSig);
    }
    get canRenew() {
        return "secretKey" in this.auth;
    }
    current() {
        const { auth, lifetimeSeconds: lifetime } = this;
        if ("userSig" in auth)
            return auth.userSig;
        const nowSeconds = this.clock.epochSeconds();
        if (!this.sig || nowSeconds >= this.sig.renewAt) {
            const value = signUserSig(auth.secretKey, { ...this.caller, expire: lifetime, time: nowSeconds });
            this.secrets.addUserSig(value);
            this.sig = {
                value,
                renewAt: nowSeconds + Math.max(1, lifetime - Math.min(RESIGN_MARGIN_SECONDS, lifetime / 2)),
            };
        }
        return this.sig.value;
    }
    /** Drops the current UserSig: the next one is signed anew. */
    renew() {
        this.sig = undefined;
    }
}
/**
 * Sends each attempt with the signer's current UserSig. When the server says it expired or was
 * invalidated, a call may renew it once, and only with the secret key; otherwise that failure is final.
 */
function sign(signer, next) {
    return async (attempt) => {
        const tried = await next({ ...attempt, userSig: signer.current() });
        const { call } = attempt;
        if (tried.ok || tried.retry !== "resign" || call.resigned || !signer.canRenew)
            return tried;
        return {
            ...tried,
            mend: () => {
                call.resigned = true;
                signer.renew();
            },
        };
    };
}

;// CONCATENATED MODULE: ./src/chat/throttle.ts

/** Commands whose documented ceiling is below any the caller may set: calls per second per SDKAppID. */
const DOCUMENTED_CEILINGS = new Map([
    ["group_open_http_svc/get_appid_group_list", 1],
    ["im_open_login_svc/account_check", 100],
]);
/** One limiter per command (the server limits each API separately), shared by every call to it. */
class CommandLimiters {
    maxCallsPerSecond;
    clock;
    limiters = new Map();
    grantListeners = new Set();
    constructor(
    /** Ceiling on calls per second to each command. */
    maxCallsPerSecond, clock) {
        this.maxCallsPerSecond = maxCallsPerSecond;
        this.clock = clock;
    }
    /** Calls waiting for their command's limiter. */
    get waiting() {
        let waiting = 0;
        for (const limiter of this.limiters.values())
            waiting += limiter.waiting;
        return waiting;
    }
    /** Calls `listener` whenever waiting calls were let through; returns a function that stops it. */
    onGrant(listener) {
        this.grantListeners.add(listener);
        return () => this.grantListeners.delete(listener);
    }
    of(command) {
        let limiter = this.limiters.get(command);
        if (!limiter) {
            const ceiling = Math.min(this.maxCallsPerSecond, DOCUMENTED_CEILINGS.get(command) ?? Infinity);
            limiter = new RateLimiter(ceiling, this.clock, () => this.grantListeners.forEach((listener) => listener()));
            this.limiters.set(command, limiter);
        }
        return limiter;
    }
}
/**
 * Lets each attempt out when its command's limiter says so, and tells the limiter of each answer
 * the server gave. Rejects with CallNotSentError when the call's stop comes while it waits.
 */
function throttle(limiters, next) {
    return async (attempt) => {
        const { command, signals } = attempt.call;
        const limiter = limiters.of(command);
        const grantedAt = await limiter.acquire(signals.stop);
        const tried = await next(attempt);
        if (tried.answered)
            limiter.onAnswer(grantedAt, !tried.ok && tried.retry === "rate-limited");
        return tried;
    };
}

;// CONCATENATED MODULE: external "node:http"
const external_node_http_namespaceObject = require("node:http");
;// CONCATENATED MODULE: external "node:net"
const external_node_net_namespaceObject = require("node:net");
;// CONCATENATED MODULE: ./src/chat/transport.ts




/** Answers longer than this are not read: the attempt fails instead. */
const MAX_ANSWER_BYTES = 1024 * 1024;
const CONNECT_FAILURES = new Set(["ENOTFOUND", "EAI_AGAIN", "ECONNREFUSED", "EHOSTUNREACH", "ENETUNREACH"]);
function noAnswer(reason, connectFailure = false) {
    return { kind: "no-answer", reason, connectFailure };
}
/**
 * OpenSSL's words for a TLS handshake answered by something that is not TLS, such as a plain-HTTP
 * server (the emulator) behind an https:// URL; Node gives them as EPROTO with the reason in the message.
 */
const NOT_TLS = /wrong version number|packet length too long|WRONG_VERSION_NUMBER|PACKET_LENGTH_TOO_LONG/i;
function notTls(error) {
    return NOT_TLS.test(error.message) || NOT_TLS.test(error.code ?? "");
}
/** What a failed exchange says: a server that does not speak TLS is named as such, not by OpenSSL's words. */
function networkFailure(error) {
    if (notTls(error)) {
        // Trying again would get the same answer.
        return {
            kind: "no-answer",
            reason: "this endpoint does not speak TLS (https); use http:// for a loopback emulator",
            connectFailure: false,
            refused: true,
        };
    }
    return noAnswer(`network error: ${[error.code, error.message].filter(Boolean).join(" ")}`, error.code !== undefined && CONNECT_FAILURES.has(error.code));
}
/** `Retry-After` as seconds or an HTTP date, in ms from now. */
function retryAfterMs(header) {
    if (!header)
        return undefined;
    const seconds = Number(header.trim());
    if (header.trim() !== "" && Number.isFinite(seconds))
        return Math.max(0, seconds * 1000);
    const date = Date.parse(header);
    return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
let httpsModule;
/** Loaded on first use: a run against a loopback emulator never needs TLS. */
async function loadHttps() {
    return (httpsModule ??= await Promise.resolve(/* import() */).then(__nccwpck_require__.t.bind(__nccwpck_require__, 708, 23)));
}
/** Where the server (or proxy) of a URL listens, and whether it is spoken to over TLS. */
function addressOf(url) {
    const tls = url.protocol === "https:";
    return { host: url.hostname.replace(/^\[(.*)\]$/, "$1"), port: url.port || (tls ? 443 : 80), tls };
}
const KEEP_ALIVE = { keepAlive: true, scheduling: "lifo" };
/**
 * What every TLS connection we open is checked with, whatever the environment says: the server's
 * certificate is verified (NODE_TLS_REJECT_UNAUTHORIZED=0 cannot turn that off; a private CA goes in
 * NODE_EXTRA_CA_CERTS), against the host name unless the host is an IP address (SNI carries names only).
 */
function tlsOptions(host) {
    return { rejectUnauthorized: true, ...((0,external_node_net_namespaceObject.isIP)(host) ? {} : { servername: host }) };
}
function proxyAuthorization(proxy) {
    if (!proxy.username && !proxy.password)
        return {};
    const credentials = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
    return { "proxy-authorization": `Basic ${Buffer.from(credentials).toString("base64")}` };
}
/**
 * POSTs JSON over keep-alive connections, directly or through the proxy `env` names (`https_proxy`,
 * `no_proxy`: see proxy.ts); a proxy setting that cannot be used fails each attempt at once, unsent.
 * TLS certificates are always verified. Every exchange ends within the
 * request timeout, whatever the server or proxy does: a stalled answer, a stalled CONNECT, a reset
 * mid-answer or an oversized body ends the attempt at once and frees its socket. Redirects are not
 * followed. `close` destroys every connection, so the process can exit.
 */
class HttpTransport {
    timeoutMs;
    env;
    agents = new Map();
    routes = new Map();
    live = new Set();
    constructor(timeoutMs, env = process.env) {
        this.timeoutMs = timeoutMs;
        this.env = env;
    }
    async post(base, path, payload, signal) {
        if (signal?.aborted)
            return noAnswer("cancelled before the request was sent");
        const route = await this.route(base);
        if ("refused" in route)
            return { kind: "no-answer", reason: route.refused, connectFailure: false, refused: true };
        const headers = { ...route.headers, "content-length": Buffer.byteLength(payload) };
        return new Promise((resolve) => {
            let settled = false;
            const req = route.request({ ...route.options, path: route.pathPrefix + path, headers });
            const finish = (outcome, destroy = false) => {
                if (settled)
                    return;
                settled = true;
                clearTimeout(timer);
                forget();
                this.live.delete(req);
                if (destroy)
                    req.destroy();
                resolve(outcome);
            };
            const timer = setTimeout(() => finish(noAnswer(`no answer within ${this.timeoutMs} ms`), true), this.timeoutMs);
            const forget = onAbort(signal, () => finish(noAnswer("cancelled before the answer"), true));
            this.live.add(req);
            req.on("error", (error) => finish(networkFailure(error), true));
            req.on("response", (res) => {
                const declared = Number(res.headers["content-length"]);
                if (declared > MAX_ANSWER_BYTES) {
                    return finish(noAnswer(`answer of ${declared} bytes is over the ${MAX_ANSWER_BYTES}-byte limit`), true);
                }
                const chunks = [];
                let size = 0;
                res.on("data", (chunk) => {
                    size += chunk.length;
                    if (size > MAX_ANSWER_BYTES) {
                        finish(noAnswer(`answer is over the ${MAX_ANSWER_BYTES}-byte limit`), true);
                        return;
                    }
                    chunks.push(chunk);
                });
                res.on("end", () => {
                    const retryAfter = retryAfterMs(res.headers["retry-after"]);
                    finish({
                        kind: "answer",
                        status: res.statusCode ?? 0,
                        body: Buffer.concat(chunks).toString("utf8"),
                        ...(retryAfter === undefined ? {} : { retryAfterMs: retryAfter }),
                    });
                });
                res.on("error", () => finish(noAnswer("connection closed in the middle of the answer"), true));
                res.on("close", () => finish(noAnswer("connection closed in the middle of the answer"), true));
            });
            req.end(payload);
        });
    }
    close() {
        for (const req of this.live)
            req.destroy();
        this.live.clear();
        for (const agent of this.agents.values())
            agent.destroy();
        this.agents.clear();
        this.routes.clear();
    }
    /** How to reach the server at `base`: directly, or through the proxy the environment names. Worked out once. */
    route(base) {
        let route = this.routes.get(base);
        if (!route)
            this.routes.set(base, (route = this.findRoute(new URL(base))));
        return route;
    }
    async findRoute(url) {
        const { host, port, tls } = addressOf(url);
        const headers = { "content-type": "application/json", "user-agent": "tencent-chat-recall" };
        const pathPrefix = url.pathname.replace(/\/+$/, "");
        if (!tls) {
            // Plain http is for loopback only (see endpointProblem), which no proxy serves.
            const agent = this.agent("http", () => new external_node_http_namespaceObject.Agent(KEEP_ALIVE));
            return { request: external_node_http_namespaceObject.request, options: { method: "POST", host, port, agent }, headers, pathPrefix };
        }
        let proxy;
        try {
            proxy = proxyFor(url, this.env);
        }
        catch (error) {
            if (error instanceof ProxyError)
                return { refused: error.message };
            throw error;
        }
        const https = await loadHttps();
        const agent = proxy
            ? this.agent(`https via ${proxy.href}`, () => tunnelAgent(https, proxy, this.timeoutMs))
            : this.agent("https", () => new https.Agent(KEEP_ALIVE));
        return {
            request: https.request,
            options: { method: "POST", host, port, agent, ...tlsOptions(host) },
            headers,
            pathPrefix,
        };
    }
    agent(key, create) {
        let agent = this.agents.get(key);
        if (!agent)
            this.agents.set(key, (agent = create()));
        return agent;
    }
}
/**
 * An https agent whose connections are tunnels through a proxy (CONNECT, over TLS for an https://
 * proxy; both TLS connections verified whatever the environment says), each bounded by the request timeout, and destroyed with the agent even while the proxy
 * has not answered.
 */
function tunnelAgent(https, proxy, timeoutMs) {
    const pending = new Set();
    const agent = new https.Agent(KEEP_ALIVE);
    const address = addressOf(proxy);
    const direct = agent.createConnection.bind(agent);
    agent.createConnection = (options, callback) => {
        const done = callback;
        const authority = `${options.host}:${options.port}`;
        const connect = (address.tls ? https : external_node_http_namespaceObject).request({
            host: address.host,
            port: address.port,
            method: "CONNECT",
            path: authority,
            headers: { host: authority, ...proxyAuthorization(proxy) },
            agent: false,
            timeout: timeoutMs,
            ...(address.tls ? tlsOptions(address.host) : {}),
        });
        pending.add(connect);
        connect.once("connect", (res, socket) => {
            pending.delete(connect);
            if (res.statusCode !== 200) {
                socket.destroy();
                return done(new Error(`the proxy answered CONNECT with HTTP ${res.statusCode}`));
            }
            const tls = tlsOptions(String(options.host ?? ""));
            done(null, direct({ ...options, socket, ...tls }) ?? undefined);
        });
        connect.once("timeout", () => connect.destroy(new Error(`the proxy did not answer within ${timeoutMs} ms`)));
        connect.once("error", (error) => {
            pending.delete(connect);
            // Named here, or the endpoint would be blamed for the proxy.
            done(notTls(error)
                ? new Error(`the proxy ${proxy.host} does not speak TLS (https); give it as http:// if it is plain HTTP`)
                : error);
        });
        connect.end();
        return undefined;
    };
    const destroy = agent.destroy.bind(agent);
    agent.destroy = () => {
        for (const connect of pending)
            connect.destroy();
        pending.clear();
        destroy();
    };
    return agent;
}

;// CONCATENATED MODULE: ./src/chat/client.ts










/** ErrorInfo and other outside text are cut to this many characters wherever they are kept or shown. */
const MAX_INFO_CHARS = 1000;
function boundText(text) {
    const max = MAX_INFO_CHARS;
    return text.length > max ? `${text.slice(0, max)}… (${text.length - max} more characters)` : text;
}
/**
 * A client for the Tencent Cloud Chat REST API: signs (and renews) the admin UserSig, lets each call
 * out when its command's limiter says so, retries what FACTS.md calls transient or rate limited with
 * capped exponential back-off and full jitter (or the server's Retry-After), re-signs once on an
 * expired or invalidated UserSig, moves to the backup domain when the main one cannot be reached,
 * and keeps every secret out of what it reports.
 */
class ChatClient {
    secrets;
    /** Text from an answer as it may be kept or shown: free of secrets, bounded. */
    clean = (text) => (text ? boundText(this.secrets.redact(text)) : text);
    transport;
    limiters;
    send;
    constructor(options) {
        const clock = options.clock ?? systemClock;
        const caller = { sdkAppId: options.sdkAppId, identifier: options.identifier };
        this.secrets = options.secrets ?? new Secrets();
        this.transport = options.transport ?? new HttpTransport(options.requestTimeoutMs);
        this.limiters = new CommandLimiters(options.maxCallsPerSecond, clock);
        const signer = new Signer(options.auth, caller, this.secrets, clock, options.userSigLifetimeSeconds);
        const bases = baseUrls(options.region, options.endpoint);
        this.send = retry({ ...options, clock }, throttle(this.limiters, failover(bases, sign(signer, exchange(this.transport, caller, this.clean)))));
    }
    /** Calls waiting for their command's limiter. */
    get waiting() {
        return this.limiters.waiting;
    }
    /** Calls `listener` whenever waiting calls were let through; returns a function that stops it. */
    onGrant(listener) {
        return this.limiters.onGrant(listener);
    }
    /**
     * Makes one call, retrying as allowed. `body` is an object, or JSON text sent as it is. Throws
     * ChatApiError when it does not end with ErrorCode 0; its code is NOT_ATTEMPTED when `signals.stop`
     * came before the call was sent.
     */
    async call(command, body, signals = {}, unreadable) {
        const payload = typeof body === "string" ? body : JSON.stringify(body);
        const call = { command, payload, signals, resigned: false, ...(unreadable && { unreadable }) };
        return (await this.send(call));
    }
    close() {
        this.transport.close();
    }
}

;// CONCATENATED MODULE: ./src/recall/stop.ts

/** After this many calls in a row got no answer at all, the server is out of reach: the run stops. */
const NO_ANSWER_STREAK_LIMIT = 5;
/** After the app has answered nothing but "rate limited" for this long, someone else uses its limit: the run stops. */
const ONLY_RATE_LIMITED_MS = 60_000;
const FIXES = new Map([
    [60004, "check the identifier (an app admin account) and the secret key or user-sig"],
    [60005, "check the identifier (an app admin account) and the secret key or user-sig"],
    [60010, 'set the identifier to an app admin account (new apps have "administrator")'],
    [60016, "enable the SDKAppID in the Chat console"],
    [60020, "buy or renew the plan in the Chat console; it takes about 5 minutes to apply"],
    [
        60021,
        "allow the IP this runs from in the Chat console's IP allow-list, or run it from an allowed network",
    ],
    [70002, "give a secret key or a user-sig"],
    [70003, "give a UserSig signed by TLSSigAPIv2 for this app, or the secret key instead"],
    [70005, "give a UserSig signed by TLSSigAPIv2 for this app, or the secret key instead"],
    [70009, "check the secret key: it is not the one of this SDKAppID"],
    [70013, "the UserSig was signed for another identifier: sign it for this one, or give the secret key"],
    [70014, "the UserSig was signed for another SDKAppID: sign it for this one, or give the secret key"],
    [70050, "fix the credential, then wait a minute before trying again"],
]);
function fixFor(code, connection, signedHere) {
    if (WRONG_REGION_CODES.has(code)) {
        return connection.endpoint
            ? `check that endpoint ${connection.endpoint} serves this SDKAppID`
            : `is region "${connection.region}" right for SDKAppID ${connection.sdkAppId}? An app lives in one region, and another region's domain answers this way`;
    }
    if (code === 70001 || code === 70052) {
        return signedHere
            ? "a freshly signed UserSig was refused too: check this machine's clock"
            : "sign a new UserSig, or give the secret key so that one is signed for each run";
    }
    return FIXES.get(code) ?? "check the app's settings in the Chat console";
}
/** The reason to stop the whole run after this failure, if it is one. */
function stopCauseOf(error, streaks, connection) {
    const noAnswerStreak = streaks.noAnswer;
    if (isAppWide(error.code, error.fromServer)) {
        const signedHere = "secretKey" in connection.auth;
        return {
            reason: "app-wide",
            code: error.code,
            message: `ErrorCode ${error.code} (${explainCode(error.code)}) concerns the whole app, so every other call would fail the same way: ${fixFor(error.code, connection, signedHere)}. The server said: ${error.info || "no ErrorInfo"}`,
        };
    }
    if (error.code === NO_ANSWER && !error.fromServer && noAnswerStreak >= NO_ANSWER_STREAK_LIMIT) {
        const where = connection.endpoint ?? `region ${connection.region}`;
        return {
            reason: "no-answer",
            code: NO_ANSWER,
            message: `${noAnswerStreak} calls in a row got no answer from ${where}: check the network, the proxy settings and the ${connection.endpoint ? "endpoint" : "region"}. Last: ${error.info}`,
        };
    }
    if (error.rateLimited && streaks.onlyRateLimitedMs >= ONLY_RATE_LIMITED_MS) {
        const code = `${error.fromServer ? "ErrorCode" : "code"} ${error.code}`;
        return {
            reason: "rate-limited",
            code: error.code,
            message: `For ${Math.round(streaks.onlyRateLimitedMs / 1000)} s the app answered nothing but "rate limited" (${code}: ${error.info || "no ErrorInfo"}): its limit is used by someone else as well, or is lower than max-calls-per-second (${connection.maxCallsPerSecond}/s). Run again later, or lower max-calls-per-second.`,
        };
    }
    return undefined;
}

;// CONCATENATED MODULE: ./src/recall/ledger.ts




function pairsDone({ recalled, failed, skipped, notAttempted, dryRun }) {
    return recalled + failed + skipped + notAttempted + dryRun;
}
/**
 * The books of one run: each pair's outcome, recorded once and counted, the messages counted, the
 * first failure, and the stop. A failure that concerns the whole app, the fifth call in a row with no
 * answer, or a minute of nothing but "rate limited", stops the run: no call starts after it, and the
 * pairs left end as not attempted.
 */
class Ledger {
    connection;
    events;
    clock;
    counts = { recalled: 0, failed: 0, skipped: 0, notAttempted: 0, dryRun: 0 };
    messages = {
        matchedMessages: 0,
        recalledMessages: 0,
        remainingMessages: 0,
        nothingToRecall: 0,
    };
    firstFailure;
    stopCause;
    noAnswerStreak = 0;
    /** When the last answer came that was not "rate limited". */
    answeredAt;
    stopSending = new AbortController();
    cutInFlight = new AbortController();
    graceTimer;
    /** What every call of the run listens to: the stop, and the cut of calls in flight. */
    signals = { stop: this.stopSending.signal, abort: this.cutInFlight.signal };
    constructor(connection, events, clock) {
        this.connection = connection;
        this.events = events;
        this.clock = clock;
        this.answeredAt = clock.now();
    }
    /** Aborted once the run stops starting calls. */
    get stopped() {
        return this.stopSending.signal;
    }
    get done() {
        return pairsDone(this.counts);
    }
    get tally() {
        return { ...this.counts };
    }
    /** A call was answered: the streaks of calls without an answer, or with only "rate limited", are over. */
    answered() {
        this.noAnswerStreak = 0;
        this.answeredAt = this.clock.now();
    }
    /** Ends a pair with the result given. */
    record(event) {
        const { outcome, messages, remaining } = event.result;
        if (outcome === "recalled")
            this.counts.recalled++;
        else if (outcome === "failed")
            this.counts.failed++;
        else if (outcome === "skipped")
            this.counts.skipped++;
        else if (outcome === "dry-run")
            this.counts.dryRun++;
        else
            this.counts.notAttempted++;
        if (outcome === "dry-run")
            this.messages.matchedMessages += messages ?? 0;
        else
            this.messages.recalledMessages += messages ?? 0;
        this.messages.remainingMessages += remaining ?? 0;
        if (hadNothing(event.result))
            this.messages.nothingToRecall++;
        if (outcome === "failed" || outcome === "not-attempted")
            this.firstFailure ??= event;
        this.events.result?.(event);
    }
    /**
     * Ends a pair as failed, and stops the run when the failure says every other call would fail too.
     * A call the run stopped before sending ends the pair as not attempted, unless part of its recall
     * was done already.
     */
    recordFailure(pair, error, extra = {}, partlyDone = false) {
        if (error.code === NOT_ATTEMPTED && !error.fromServer && !partlyDone)
            return this.recordNotAttempted(pair);
        const noAnswer = error.code === NO_ANSWER && !error.fromServer && !error.rateLimited;
        this.noAnswerStreak = noAnswer ? this.noAnswerStreak + 1 : 0;
        if (error.fromServer && !error.rateLimited)
            this.answeredAt = this.clock.now();
        const result = resultOf(pair, "failed", {
            code: error.code,
            info: error.info,
            fromServer: error.fromServer,
            attempts: error.attempts,
            ...extra,
        });
        const streaks = { noAnswer: this.noAnswerStreak, onlyRateLimitedMs: this.clock.now() - this.answeredAt };
        const cause = stopCauseOf(error, streaks, this.connection);
        if (cause)
            this.stop(cause);
        this.record({
            result,
            message: describeFailure(result, error.fromServer),
            ...(cause ? { appWide: true } : {}),
        });
    }
    /** Ends a pair the run stopped before. */
    recordNotAttempted(pair) {
        const why = this.stopCause?.reason === "cancelled"
            ? "the run was cancelled first"
            : `the run stopped first: ${this.stopCause?.message ?? "stopped"}`;
        const result = notAttempted(pair, why);
        this.record({ result, message: describeFailure(result, false) });
    }
    /** Stops starting calls, for the first cause given; the front door hears of it once. */
    stop(cause) {
        if (this.stopCause)
            return;
        this.stopCause = cause;
        this.stopSending.abort();
        this.events.stopped?.(cause);
    }
    /** Stops starting calls; calls in flight may finish within `graceMs`, then are cut. */
    cancel(graceMs) {
        this.stop({ reason: "cancelled", message: "The run was cancelled." });
        clearTimeout(this.graceTimer);
        if (graceMs <= 0)
            this.cutInFlight.abort();
        else
            this.graceTimer = setTimeout(() => this.cutInFlight.abort(), graceMs);
    }
    /** The run's end, once every pair has its outcome. */
    close() {
        clearTimeout(this.graceTimer);
        return {
            ...this.counts,
            ...this.messages,
            total: this.done,
            ...(this.firstFailure ? { firstFailure: this.firstFailure } : {}),
            ...(this.stopCause ? { stopCause: this.stopCause } : {}),
        };
    }
}

;// CONCATENATED MODULE: ./src/recall/pool.ts

/** Calls kept waiting at the limiters, so that they always have one to let through. */
const WAITING_TARGET = 16;
/** Units of work under way at most (each holds at most one connection at a time). */
const MAX_ACTIVE = 1000;
/**
 * Starts units of work (each making its calls through the client) while the limiters have few
 * calls waiting: the limiters decide when a call goes, the pool only keeps them supplied. Units that
 * wait for an answer or a back-off do not hold the others back, and the ramp-up does not wait for
 * the first answers.
 */
class WorkPool {
    client;
    maxActive;
    active = 0;
    /** Units that start once others have ended. */
    queued = 0;
    /** Whoever waits for a change: the admission of new units, and the drain. */
    waiters = new Set();
    crash;
    unwatch;
    constructor(client, maxActive = MAX_ACTIVE) {
        this.client = client;
        this.maxActive = maxActive;
        this.unwatch = client.onGrant(() => this.wake());
    }
    /** Resolves true when another unit may start, false once `stop` is aborted. */
    async admit(stop) {
        while (!stop.aborted &&
            !this.crash &&
            (this.client.waiting >= WAITING_TARGET || this.active >= this.maxActive)) {
            await this.changed(stop);
        }
        if (this.crash)
            throw this.crash.error;
        return !stop.aborted;
    }
    /** Starts a unit; resolves with its result, or undefined when it crashed (the crash ends the run). */
    start(unit) {
        this.active++;
        return unit()
            .catch((error) => {
            this.crash ??= { error };
            return undefined;
        })
            .finally(() => {
            this.active--;
            this.wake();
        });
    }
    /** Runs `next` (which may start units of its own) once `units` have all ended; `drain` waits for it too. */
    after(units, next) {
        this.queued++;
        void Promise.all(units)
            .then(next)
            .catch((error) => {
            this.crash ??= { error };
        })
            .finally(() => {
            this.queued--;
            this.wake();
        });
    }
    /** Waits for every unit started, or queued to start, to end. */
    async drain() {
        while (this.active + this.queued > 0)
            await this.changed();
        this.unwatch();
        if (this.crash)
            throw this.crash.error;
    }
    wake() {
        for (const waiter of [...this.waiters])
            waiter();
    }
    changed(stop) {
        return new Promise((resolve) => {
            const done = () => {
                this.waiters.delete(done);
                forget();
                resolve();
            };
            this.waiters.add(done);
            const forget = onAbort(stop, done);
        });
    }
}

;// CONCATENATED MODULE: ./src/recall/batches.ts
/** `items` in runs of at most `size`, in order: one per call of an API that takes a bounded list. */
function batchesOf(items, size) {
    const batches = [];
    for (let i = 0; i < items.length; i += size)
        batches.push(items.slice(i, i + size));
    return batches;
}

;// CONCATENATED MODULE: ./src/recall/preflight.ts


const GROUP_INFO_COMMAND = "group_open_http_svc/get_group_info";
const AV_CHAT_ROOM = "AVChatRoom";
const COMMUNITY = "Community";
/** get_group_info takes at most this many group IDs per call. */
const GROUPS_PER_CALL = 50;
/**
 * Looks every group up with get_group_info, at most 50 a call, all calls under the client's limiter.
 * A call that fails (after its retries) gives its failure to every group it asked for.
 */
async function lookUpGroups(client, groups, signals) {
    const lookups = new Map();
    await Promise.all(batchesOf(groups, GROUPS_PER_CALL).map(async (batch) => {
        try {
            const { response, attempts } = await client.call(GROUP_INFO_COMMAND, { GroupIdList: batch }, signals);
            const entries = Array.isArray(response.GroupInfo) ? response.GroupInfo : [];
            for (const group of batch) {
                const entry = entries.find((e) => e.GroupId === group);
                if (entry && entry.ErrorCode === 0 && typeof entry.Type === "string") {
                    lookups.set(group, { found: true, type: client.clean(entry.Type) });
                }
                else {
                    const code = typeof entry?.ErrorCode === "number" && entry.ErrorCode !== 0 ? entry.ErrorCode : 10010;
                    const info = typeof entry?.ErrorInfo === "string" && entry.ErrorInfo
                        ? client.clean(entry.ErrorInfo)
                        : "not in the get_group_info answer";
                    lookups.set(group, {
                        found: false,
                        error: new ChatApiError(GROUP_INFO_COMMAND, code, info, attempts, true),
                    });
                }
            }
        }
        catch (error) {
            if (!(error instanceof ChatApiError))
                throw error;
            for (const group of batch)
                lookups.set(group, { found: false, error });
        }
    }));
    return lookups;
}
/**
 * Looks up the groups of the scopes; a topic of a group that is not a Community refuses the whole
 * run, before any recall.
 */
async function preflight(client, scopes, signals) {
    const lookups = await lookUpGroups(client, [...new Set(scopes.map((s) => s.group))], signals);
    for (const { group, topic } of scopes) {
        const lookup = lookups.get(group);
        if (topic && lookup?.found && lookup.type !== COMMUNITY) {
            const message = `Topic ${topic} was given for group ${group}, a ${lookup.type} group: topics exist only in Community groups. Nothing was recalled; remove the topic or the group.`;
            return { lookups, refusal: { reason: "refused", message } };
        }
    }
    return { lookups };
}

;// CONCATENATED MODULE: ./src/recall/archive.ts

/** The archive stops taking messages at this size: every file we write is bounded. */
const MAX_ARCHIVE_BYTES = 1024 ** 3;
/**
 * The evidence of a run: each message about to be recalled, one JSON line (group, topic, seq,
 * time, sender, and `MsgRandom` and `MsgBody` as the server answered them), appended to a file only
 * its owner may read, and on disk before the write returns.
 */
class Archive {
    path;
    fd;
    bytes;
    archived = 0;
    constructor(path, fd) {
        this.path = path;
        this.fd = fd;
        this.bytes = (0,external_node_fs_namespaceObject.fstatSync)(fd).size;
    }
    /** Opens the file to append to; it is created when it does not exist. */
    static open(path) {
        return new Archive(path, (0,external_node_fs_namespaceObject.openSync)(path, "a", 0o600));
    }
    /** Messages written so far. */
    get count() {
        return this.archived;
    }
    /** Writes the messages of a group or topic; they count as archived once all are on disk, else it throws. */
    write(scope, messages) {
        if (messages.length === 0)
            return;
        const text = messages
            .map((m) => JSON.stringify({
            group: scope.group,
            topic: scope.topic ?? null,
            seq: m.seq,
            time: m.time,
            sender: m.from,
            MsgRandom: m.random ?? null,
            MsgBody: m.body ?? null,
        }))
            .join("\n");
        const data = Buffer.from(text + "\n");
        if (this.bytes + data.length > MAX_ARCHIVE_BYTES)
            throw new Error(`the archive would pass its limit of ${MAX_ARCHIVE_BYTES} bytes`);
        try {
            for (let at = 0; at < data.length;)
                at += (0,external_node_fs_namespaceObject.writeSync)(this.fd, data, at);
            (0,external_node_fs_namespaceObject.fsyncSync)(this.fd);
        }
        catch (error) {
            // A line cut short would join the next one: the file goes back to its last whole line.
            (0,external_node_fs_namespaceObject.ftruncateSync)(this.fd, this.bytes);
            throw error;
        }
        this.bytes += data.length;
        this.archived += messages.length;
    }
    close() {
        (0,external_node_fs_namespaceObject.closeSync)(this.fd);
    }
}

;// CONCATENATED MODULE: ./src/recall/closest.ts
/** Edits (insert, delete, replace, swap two neighbours) that turn `a` into `b`. */
function editDistance(a, b) {
    const rows = [];
    for (let i = 0; i <= a.length; i++) {
        rows.push([i]);
        for (let j = 1; j <= b.length; j++) {
            if (i === 0) {
                rows[0].push(j);
                continue;
            }
            const cost = a[i - 1] === b[j - 1] ? 0 : 1;
            let best = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
                best = Math.min(best, rows[i - 2][j - 2] + 1);
            rows[i].push(best);
        }
    }
    return rows[a.length][b.length];
}
/** What a mistyped `id` most likely meant, of `candidates`: the nearest few, none further than a typo goes. */
function closest(id, candidates, count) {
    const limit = Math.max(2, Math.floor(id.length / 3));
    const near = [];
    for (const candidate of candidates) {
        if (candidate === id || Math.abs(candidate.length - id.length) > limit)
            continue;
        const distance = editDistance(id.toLowerCase(), candidate.toLowerCase());
        if (distance <= limit)
            near.push({ candidate, distance });
    }
    near.sort((x, y) => x.distance - y.distance || x.candidate.localeCompare(y.candidate));
    return near.slice(0, count).map((n) => n.candidate);
}

;// CONCATENATED MODULE: ./src/recall/history.ts
const HISTORY_COMMAND = "group_open_http_svc/group_msg_get_simple";
/** The most messages one page of group_msg_get_simple may ask for. */
const PAGE_SIZE = 20;
/** `IsPlaceMsg`: 0 a message, 1 deleted or expired, 2 recalled. */
const STATES = { 0: "kept", 1: "gone", 2: "recalled" };
/** Pages asked for at once, below the first: enough to keep the limiter busy, few enough that a stop wastes little. */
const PAGES_AT_ONCE = 20;
/**
 * The messages among the newest `depth` seqs of a group or topic that the query selects, recalled
 * ones included, newest first; and the calls it took. The first page gives the newest seq; the seqs
 * below it are then read in ranges of a page, several at once, each reader taking the next range. `IsFinished` does not mean the end
 * of history: a range that comes back short is read on from its smallest seq minus one. Reading
 * stops at seq 1, at the depth, at the end of the roaming history (`IsFinished` 2: all expired), or
 * at a page whose messages are all older than `since`.
 */
async function readHistory(client, scope, query, signals) {
    const first = await readPage(client, scope, query, undefined, PAGE_SIZE, signals);
    if (first.highest === undefined)
        return first;
    const bottom = Math.max(1, first.highest - query.depth + 1);
    const page = (top, count) => readPage(client, scope, { ...query, bottom }, top, count, signals);
    const reads = [first];
    let top = first.lowest - 1;
    let past = first.past;
    const reader = async () => {
        while (top >= bottom && !past) {
            const high = top;
            top -= PAGE_SIZE;
            const read = await readRange(page, Math.max(bottom, high - PAGE_SIZE + 1), high);
            reads.push(read);
            past ||= read.past;
        }
    };
    await Promise.all(Array.from({ length: PAGES_AT_ONCE }, reader));
    const bySeq = new Map(reads.flatMap((r) => r.messages.filter((m) => m.seq >= bottom).map((m) => [m.seq, m])));
    const messages = [...bySeq.values()].sort((a, b) => b.seq - a.seq);
    return { messages, attempts: sum(reads.map((r) => r.attempts)) };
}
function sum(values) {
    return values.reduce((a, b) => a + b, 0);
}
/** The seqs from `high` down to `low`: a page, and more pages from where a short one ended. */
async function readRange(page, low, high) {
    const range = { messages: [], past: false, attempts: 0 };
    for (let next = high; next >= low;) {
        const read = await page(next, Math.min(PAGE_SIZE, next - low + 1));
        range.messages.push(...read.messages);
        range.past ||= read.past;
        range.attempts += read.attempts;
        next = (read.lowest ?? next - PAGE_SIZE + 1) - 1;
    }
    return range;
}
/** Why a page of history cannot be read: every field the recall relies on, present and of its documented type. */
function unreadablePage(top) {
    return (response) => {
        const list = response.RspMsgList;
        if (!Array.isArray(list))
            return "RspMsgList is missing or not a list";
        const seqs = new Set();
        for (const [i, m] of list.entries()) {
            const at = `RspMsgList[${i}]`;
            if (m === null || typeof m !== "object")
                return `${at} is not an object`;
            const seq = m.MsgSeq;
            if (typeof seq !== "number" || !Number.isSafeInteger(seq) || seq < 1)
                return `${at}.MsgSeq is missing or not a positive integer`;
            if (top !== undefined && seq > top)
                return `${at}.MsgSeq ${seq} is above the ${top} asked for`;
            if (seqs.has(seq))
                return `MsgSeq ${seq} comes twice`;
            seqs.add(seq);
            if (m.IsPlaceMsg !== 0 && m.IsPlaceMsg !== 1 && m.IsPlaceMsg !== 2)
                return `${at}.IsPlaceMsg is missing or not 0, 1 or 2`;
            if (typeof m.From_Account !== "string")
                return `${at}.From_Account is missing or not text`;
            if (typeof m.MsgTimeStamp !== "number" || !Number.isSafeInteger(m.MsgTimeStamp))
                return `${at}.MsgTimeStamp is missing or not a whole number`;
        }
        return undefined;
    };
}
/** One call of group_msg_get_simple: up to `count` messages from seq `top` down (the newest, without it). */
async function readPage(client, scope, query, top, count, signals) {
    const body = {
        GroupId: scope.group,
        ReqMsgNumber: count,
        ...(top === undefined ? {} : { ReqMsgSeq: top }),
        WithRecalledMsg: 1,
        ...(scope.topic ? { TopicId: scope.topic } : {}),
    };
    const { response, attempts } = await client.call(HISTORY_COMMAND, body, signals, unreadablePage(top));
    const { since, until, senders, bottom = 1 } = query;
    const seen = response.RspMsgList
        .filter((m) => m.MsgSeq >= bottom)
        .map((m) => ({
        seq: m.MsgSeq,
        from: m.From_Account,
        time: m.MsgTimeStamp,
        state: STATES[m.IsPlaceMsg],
        message: m,
    }));
    const messages = [];
    for (const { message, ...m } of seen) {
        if ((since !== undefined && m.time < since) || (until !== undefined && m.time > until))
            continue;
        const withBody = { ...m, random: message.MsgRandom, body: message.MsgBody };
        if (!senders)
            messages.push(query.bodies ? withBody : m);
        else if (senders.has(m.from))
            messages.push(withBody);
    }
    const seqs = seen.map((m) => m.seq);
    const expired = response.IsFinished === 2;
    const older = since !== undefined && seen.length > 0 && seen.every((m) => m.time < since);
    return {
        messages,
        ...(seqs.length > 0 ? { lowest: Math.min(...seqs), highest: Math.max(...seqs) } : {}),
        past: expired || older,
        attempts,
    };
}

;// CONCATENATED MODULE: ./src/recall/strategy.ts
/** Starts one unit of work for all the pairs of a scope, or ends them as not attempted when the run stopped. */
async function startForScope({ pool, ledger }, pairs, unit) {
    if (!(await pool.admit(ledger.stopped)))
        return pairs.forEach((pair) => ledger.recordNotAttempted(pair));
    void pool.start(unit);
}

;// CONCATENATED MODULE: ./src/recall/senders.ts






const ACCOUNT_CHECK_COMMAND = "im_open_login_svc/account_check";
/** account_check takes at most this many user IDs per call. */
const IDS_PER_CALL = 100;
/** Senders named as likely meant, at most. */
const SUGGESTIONS = 3;
/** Checks every sender with account_check, at most 100 a call; a call that fails gives its failure to each of its senders. */
async function checkSenders(client, senders, signals) {
    const checks = new Map();
    await Promise.all(batchesOf(senders, IDS_PER_CALL).map(async (batch) => {
        try {
            const body = { CheckItem: batch.map((UserID) => ({ UserID })) };
            const { response, attempts } = await client.call(ACCOUNT_CHECK_COMMAND, body, signals);
            const items = Array.isArray(response.ResultItem) ? response.ResultItem : [];
            for (const sender of batch) {
                const item = items.find((i) => i.UserID === sender);
                const code = item?.ResultCode;
                const status = code === 0 ? item.AccountStatus : undefined;
                if (status === "Imported")
                    checks.set(sender, "account");
                else if (status === "NotImported")
                    checks.set(sender, "not-account");
                else if (typeof code === "number" && Number.isInteger(code) && code !== 0) {
                    const info = typeof item.ResultInfo === "string" ? client.clean(item.ResultInfo) : "";
                    checks.set(sender, new ChatApiError(ACCOUNT_CHECK_COMMAND, code, info, attempts, true));
                }
                else {
                    const info = `account_check gave no AccountStatus for ${quote(sender)}`;
                    const error = new ChatApiError(ACCOUNT_CHECK_COMMAND, INCONSISTENT_ANSWER, info, attempts, false);
                    checks.set(sender, error);
                }
            }
        }
        catch (error) {
            if (!(error instanceof ChatApiError))
                throw error;
            for (const sender of batch)
                checks.set(sender, error);
        }
    }));
    return checks;
}
/**
 * The pairs of senders that are not accounts (never made, or deleted since): a deleted spammer's
 * messages stay in the groups, so the history is read first (as far back as the run looks). A
 * sender with messages there (recalled ones too: a second run says "nothing to recall") goes on to
 * the strategy; one without fails, naming the senders there whose IDs are closest to it, as a typo
 * is the likely cause.
 */
function startUnknownSenders(ctx, strategy, scope, pairs) {
    return startForScope(ctx, pairs, async () => {
        const withMessages = await sendersWithMessages(ctx, scope, pairs);
        if (withMessages.length > 0)
            ctx.pool.after([], () => strategy.start(scope, withMessages));
    });
}
async function sendersWithMessages(ctx, scope, pairs) {
    const { client, ledger, settings } = ctx;
    const { depth } = settings.selection;
    let history;
    try {
        history = await readHistory(client, scope, { depth }, ledger.signals);
        ledger.answered();
    }
    catch (error) {
        if (!(error instanceof ChatApiError))
            throw error;
        pairs.forEach((pair) => ledger.recordFailure(pair, error, { attempts: 0, reads: error.attempts }));
        return [];
    }
    const present = new Set(history.messages.map((m) => m.from));
    const withMessages = [];
    for (const pair of pairs) {
        if (present.has(pair.sender)) {
            withMessages.push(pair);
            continue;
        }
        const likely = closest(pair.sender, present, SUGGESTIONS).map((id) => client.clean(id));
        const where = `${pair.topic ? "topic" : "group"}'s last ${depth.toLocaleString("en-US")} message(s)`;
        const info = `${quote(pair.sender)} is not an account of this app and has no messages among the ${where}, so nothing was recalled. ${likely.length > 0
            ? `Senders there with the closest IDs: ${likely.map((id) => quote(id)).join(", ")}.`
            : "No sender there has a similar ID."} Check the sender ID.`;
        ledger.recordFailure(pair, new ChatApiError("account_check", NOT_AN_ACCOUNT, info, history.attempts, false));
    }
    return withMessages;
}

;// CONCATENATED MODULE: ./src/recall/recall-seqs.ts


const RECALL_BY_SEQ_COMMAND = "group_open_http_svc/group_msg_recall";
/** group_msg_recall takes at most this many seqs per call. */
const SEQS_PER_CALL = 10;
/**
 * Recalls messages by seq with group_msg_recall, which clients see at once, at most ten seqs a
 * call, each with the reason when there is one. Returns each seq's outcome and the calls made.
 */
async function recallSeqs(client, scope, seqs, reason, signals) {
    const outcomes = new Map();
    let attempts = 0;
    await Promise.all(batchesOf(seqs, SEQS_PER_CALL).map(async (batch) => {
        const body = {
            GroupId: scope.group,
            MsgSeqList: batch.map((seq) => ({ MsgSeq: seq })),
            ...(scope.topic ? { TopicId: scope.topic } : {}),
            ...(reason === undefined ? {} : { Reason: reason }),
        };
        try {
            const result = await client.call(RECALL_BY_SEQ_COMMAND, body, signals);
            attempts += result.attempts;
            const list = Array.isArray(result.response.RecallRetList)
                ? result.response.RecallRetList
                : [];
            for (const seq of batch) {
                const ret = list.find((r) => r.MsgSeq === seq)?.RetCode;
                const code = typeof ret === "number" && Number.isInteger(ret) ? ret : INCONSISTENT_ANSWER;
                outcomes.set(seq, {
                    code,
                    info: code === 0
                        ? ""
                        : typeof ret === "number"
                            ? `RetCode ${ret}`
                            : "no RetCode for this seq in the answer",
                    fromServer: typeof ret === "number",
                });
            }
        }
        catch (error) {
            if (!(error instanceof ChatApiError))
                throw error;
            attempts += error.attempts;
            for (const seq of batch)
                outcomes.set(seq, { code: error.code, info: error.info, fromServer: error.fromServer });
        }
    }));
    return { outcomes, attempts };
}

;// CONCATENATED MODULE: ./src/recall/window.ts


/** What a run reads of each history: the listed senders' messages that its settings select. */
function sendersQuery(settings) {
    return { ...settings.selection, senders: new Set(settings.senders) };
}
/** The messages of a group or topic that the query selects, or the failure that kept them from being read. */
async function historyOrFailure({ client, ledger }, scope, query) {
    try {
        const history = await readHistory(client, scope, query, ledger.signals);
        ledger.answered();
        return history;
    }
    catch (error) {
        if (!(error instanceof ChatApiError))
            throw error;
        return error;
    }
}
/** The messages each listed sender has among those read, by state. */
function bySender(messages, senders) {
    const counts = new Map(senders.map((s) => [s, { kept: [], recalled: 0 }]));
    for (const m of messages) {
        const entry = counts.get(m.from);
        if (!entry)
            continue;
        if (m.state === "kept")
            entry.kept.push(m);
        else if (m.state === "recalled")
            entry.recalled++;
    }
    return counts;
}

;// CONCATENATED MODULE: ./src/recall/verify.ts



/** Verify: counts each recalled pair's messages in the window, recalled and left; any left fails the pair. */
async function verifyScope(ctx, scope, recalled) {
    const { ledger } = ctx;
    const window = await historyOrFailure(ctx, scope, sendersQuery(ctx.settings));
    if (window instanceof ChatApiError) {
        const info = `the recall was answered OK, but verify could not read the history: ${window.info}`;
        for (const { pair, attempts, reads = 0 } of recalled) {
            const { command, code, fromServer } = window;
            const error = new ChatApiError(command, code, info, attempts, fromServer);
            ledger.recordFailure(pair, error, { reads: reads + window.attempts }, true);
        }
        return;
    }
    const counts = bySender(window.messages, ctx.settings.senders);
    for (const { pair, attempts, reads = 0, messages: known } of recalled) {
        const { kept, recalled: inWindow } = counts.get(pair.sender);
        const messages = known ?? inWindow;
        const detail = {
            fromServer: false,
            attempts,
            reads: reads + window.attempts,
            messages,
            remaining: kept.length,
        };
        if (kept.length === 0) {
            ledger.record({ result: resultOf(pair, "recalled", { ...detail, code: 0, info: "" }) });
        }
        else {
            const seqs = kept.slice(0, 10).map((m) => m.seq);
            const info = `${kept.length} message(s) still not recalled in the window after the recall (seq ${seqs.join(", ")}${kept.length > 10 ? ", …" : ""})`;
            const error = new ChatApiError("verify", REMAINING_MESSAGES, info, detail.attempts, false);
            ledger.recordFailure(pair, error, detail);
        }
    }
}

;// CONCATENATED MODULE: ./src/recall/strategy-by-seq.ts






/**
 * By seq: finds each sender's messages that the settings select (depth, time window), archives them
 * when asked, and recalls exactly those with group_msg_recall, which clients see at once.
 */
function recallBySeq(ctx) {
    return { start: (scope, pairs) => startForScope(ctx, pairs, () => recallScope(ctx, scope, pairs)) };
}
async function recallScope(ctx, scope, pairs) {
    const { client, ledger, settings, archive } = ctx;
    const history = await historyOrFailure(ctx, scope, sendersQuery(settings));
    if (history instanceof ChatApiError) {
        const calls = { attempts: 0, reads: history.attempts };
        return pairs.forEach((pair) => ledger.recordFailure(pair, history, calls));
    }
    const counts = bySender(history.messages, settings.senders);
    const found = pairs.flatMap((pair) => counts.get(pair.sender).kept);
    if (ledger.stopped.aborted)
        return pairs.forEach((pair) => ledger.recordNotAttempted(pair));
    if (archive) {
        try {
            archive.write(scope, found);
        }
        catch (error) {
            const info = `the messages could not be written to the archive ${archive.path}, so none was recalled: ${error.message}`;
            const failure = new ChatApiError("archive", ARCHIVE_FAILED, info, 0, false);
            return pairs.forEach((pair) => ledger.recordFailure(pair, failure, { reads: history.attempts }));
        }
    }
    const seqs = found.map((m) => m.seq);
    const { outcomes, attempts } = seqs.length > 0
        ? await recallSeqs(client, scope, seqs, settings.reason, ledger.signals)
        : { outcomes: new Map(), attempts: 0 };
    const reads = history.attempts;
    const recalled = [];
    for (const pair of pairs) {
        const mine = counts.get(pair.sender).kept.map((m) => ({ seq: m.seq, outcome: outcomes.get(m.seq) }));
        const failed = mine.filter((m) => m.outcome.code !== 0);
        if (failed.length > 0) {
            const recalledMessages = mine.length - failed.length;
            ledger.recordFailure(pair, seqFailure(failed, mine.length, attempts), { messages: recalledMessages, reads }, recalledMessages > 0);
        }
        else if (settings.verify) {
            recalled.push({ pair, attempts, reads, messages: mine.length });
        }
        else {
            const detail = { code: 0, info: "", fromServer: true, attempts, reads, messages: mine.length };
            ledger.record({ result: resultOf(pair, "recalled", detail) });
        }
    }
    if (recalled.length > 0)
        await verifyScope(ctx, scope, recalled);
}
/** One failure for a pair some of whose messages could not be recalled, with the first ten of them. */
function seqFailure(failed, of, calls) {
    const first = failed[0].outcome;
    const list = failed
        .slice(0, 10)
        .map((m) => `seq ${m.seq}: ${m.outcome.code} (${explainCode(m.outcome.code, m.outcome.fromServer)})`)
        .join(", ");
    const info = `${failed.length} of ${of} message(s) could not be recalled: ${list}${failed.length > 10 ? ", …" : ""}`;
    return new ChatApiError(RECALL_BY_SEQ_COMMAND, first.code, info, calls, first.fromServer);
}

;// CONCATENATED MODULE: ./src/recall/strategy-dry-run.ts




/** Dry run: counts each sender's messages that the settings select and are not recalled yet, and recalls nothing. */
function dryRun(ctx) {
    const { ledger } = ctx;
    return {
        start: (scope, pairs) => startForScope(ctx, pairs, async () => {
            const window = await historyOrFailure(ctx, scope, sendersQuery(ctx.settings));
            if (window instanceof ChatApiError)
                return pairs.forEach((pair) => ledger.recordFailure(pair, window, { attempts: 0, reads: window.attempts }));
            const counts = bySender(window.messages, ctx.settings.senders);
            for (const pair of pairs) {
                const detail = {
                    code: 0,
                    info: "",
                    fromServer: true,
                    reads: window.attempts,
                    messages: counts.get(pair.sender).kept.length,
                };
                ledger.record({ result: resultOf(pair, "dry-run", detail) });
            }
        }),
    };
}

;// CONCATENATED MODULE: ./src/recall/strategy-silent.ts



const RECALL_COMMAND = "group_open_http_svc/delete_group_msg_by_sender";
/**
 * Recalls each pair with delete_group_msg_by_sender, which clients see when they pull history; with
 * verify, the pairs of a scope wait for one count of its window once all of them were answered.
 */
function silentRecall(ctx) {
    const { pool, ledger } = ctx;
    return {
        async start(scope, pairs) {
            const recalls = [];
            for (const pair of pairs) {
                if (await pool.admit(ledger.stopped))
                    recalls.push(pool.start(() => recallPair(ctx, pair)));
                else
                    ledger.recordNotAttempted(pair);
            }
            if (!ctx.settings.verify)
                return;
            pool.after(recalls, (results) => {
                const recalled = results.filter((r) => r !== undefined);
                return recalled.length > 0 ? pool.start(() => verifyScope(ctx, scope, recalled)) : Promise.resolve();
            });
        },
    };
}
/** Recalls one pair; with verify, an answered pair is returned to wait for the count instead of ending. */
async function recallPair({ client, ledger, settings }, pair) {
    const body = {
        GroupId: pair.group,
        Sender_Account: pair.sender,
        ...(pair.topic ? { TopicId: pair.topic } : {}),
    };
    try {
        const { response, attempts } = await client.call(RECALL_COMMAND, body, ledger.signals);
        ledger.answered();
        if (settings.verify)
            return { pair, attempts };
        const detail = { code: 0, info: response.ErrorInfo, fromServer: true, attempts };
        ledger.record({ result: resultOf(pair, "recalled", detail) });
    }
    catch (error) {
        if (!(error instanceof ChatApiError))
            throw error;
        ledger.recordFailure(pair, error);
    }
    return undefined;
}

;// CONCATENATED MODULE: ./src/recall/targets.ts





const MALFORMED = "not IDs the service could have made (printable ASCII, within the length limit)";
/**
 * Where a run recalls, one group or topic at a time: the listed ones, looked up first when the
 * preflight is on; or, for a fan-out, every group of the app a page at a time (recalls start while
 * later pages are listed) or the listed groups and those each sender is a member of, with every
 * topic of each Community when asked.
 */
function targetsOf(settings, client, ledger, events) {
    const finder = new TargetFinder(settings, client, ledger, events);
    return settings.discover ? finder.discovered(settings.discover) : finder.listed();
}
class TargetFinder {
    settings;
    client;
    ledger;
    events;
    constructor(settings, client, ledger, events) {
        this.settings = settings;
        this.client = client;
        this.ledger = ledger;
        this.events = events;
    }
    async *listed() {
        const lookups = await this.lookUp(this.settings.scopes);
        for (const scope of this.settings.scopes)
            yield { scope, lookup: lookups?.get(scope.group) };
    }
    async *discovered(discover) {
        const groups = this.groupsOf(discover);
        if (!discover.everyTopic)
            return yield* groups;
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
                if (listed.topics.length === 0)
                    yield found;
                for (const topic of listed.topics)
                    yield { ...found, scope: { group: found.scope.group, topic } };
            }
            catch (error) {
                if (!(error instanceof ChatApiError))
                    throw error;
                yield { ...found, lookup: { found: false, error } };
            }
        }
        this.events.notice?.(`Found ${topics} topic(s) in ${communities} Community group(s); a Community with none is recalled at group level.`);
        if (malformed > 0)
            this.events.warning?.(`${malformed} listed topic ID(s) left out: ${MALFORMED}.`);
    }
    async *groupsOf(discover) {
        if (discover.groups === "all") {
            yield* this.everyGroup(discover);
            if (discover.joined)
                this.events.notice?.("Every group of the app was listed: the senders' joined groups are among them.");
            return;
        }
        yield* this.listedGroups(discover.groups);
        if (discover.joined)
            yield* this.joinedGroups(discover);
    }
    /**
     * The groups each sender is a member of that are not listed, by type, each with the senders that
     * are members: a sender is recalled only where it is one.
     */
    async *joinedGroups(discover) {
        const listed = new Set(discover.groups === "all" ? [] : discover.groups);
        const found = new Map();
        let malformed = 0;
        const memberOfNone = [];
        for (const sender of this.settings.senders) {
            let memberships = 0;
            for (const type of discover.types) {
                const joined = await joinedGroupsOf(this.client, sender, type, this.ledger.signals);
                malformed += joined.malformed;
                memberships += joined.groups.length;
                for (const group of joined.groups) {
                    if (listed.has(group) || discover.exclude.has(group))
                        continue;
                    const target = found.get(group) ?? { scope: { group }, lookup: { found: true, type }, senders: [] };
                    if (!target.senders.includes(sender))
                        target.senders.push(sender);
                    found.set(group, target);
                }
            }
            if (memberships === 0)
                memberOfNone.push(sender);
        }
        if (memberOfNone.length > 0)
            this.events.warning?.(`${memberOfNone.length} sender(s) are members of no group of the types asked for: ${memberOfNone
                .slice(0, 10)
                .map((s) => quote(s))
                .join(", ")}${memberOfNone.length > 10 ? ", …" : ""}.`);
        this.events.notice?.(`Found ${found.size} group(s) the senders are members of, besides the listed ones.`);
        if (malformed > 0)
            this.events.warning?.(`${malformed} joined group ID(s) left out: ${MALFORMED}.`);
        yield* found.values();
    }
    async *everyGroup(discover) {
        const { signals } = this.ledger;
        let excluded = 0;
        let malformed = 0;
        for (const type of discover.types) {
            let first = true;
            for await (const page of listGroups(this.client, type, signals)) {
                if (first)
                    this.events.notice?.(`Found ${page.total} ${type} group(s).`);
                first = false;
                malformed += page.malformed;
                for (const group of page.groups) {
                    if (discover.exclude.has(group))
                        excluded++;
                    else
                        yield { scope: { group }, lookup: { found: true, type } };
                }
            }
        }
        if (excluded > 0)
            this.events.notice?.(`${excluded} group(s) left out as excluded.`);
        if (malformed > 0)
            this.events.warning?.(`${malformed} listed group ID(s) left out: ${MALFORMED}.`);
        try {
            const avChatRooms = await countGroups(this.client, AV_CHAT_ROOM, signals);
            if (avChatRooms > 0)
                this.events.notice?.(`${avChatRooms} AVChatRoom group(s) are left out: they keep no history.`);
        }
        catch (error) {
            if (!(error instanceof ChatApiError))
                throw error;
            this.events.warning?.(`AVChatRoom groups are left out, but counting them failed: ${error.message}`);
        }
    }
    /** Listed groups for every topic: their type from the preflight, or, without it, from the ID. */
    async *listedGroups(groups) {
        const lookups = await this.lookUp(groups.map((group) => ({ group })));
        for (const group of groups) {
            const type = group.startsWith(COMMUNITY_PREFIX) ? COMMUNITY : "unknown";
            yield { scope: { group }, lookup: lookups?.get(group) ?? { found: true, type } };
        }
    }
    /** The preflight's lookups, when it is on; a refusal stops the run. */
    async lookUp(scopes) {
        if (!this.settings.preflight)
            return undefined;
        const { lookups, refusal } = await preflight(this.client, scopes, this.ledger.signals);
        if (refusal)
            this.ledger.stop(refusal);
        return lookups;
    }
}

;// CONCATENATED MODULE: ./src/recall/session.ts
















/** How long calls in flight may still finish after a cancellation. */
const CANCEL_GRACE_MS = 3000;
function strategyFor(ctx) {
    if (ctx.settings.dryRun)
        return dryRun(ctx);
    return recallsBySeq(ctx.settings) ? recallBySeq(ctx) : silentRecall(ctx);
}
/**
 * One recall run: it checks the senders, finds where to recall (targets), starts a way of recalling
 * (strategy) on each group or topic as it is found, and keeps the books (ledger), which end every
 * pair in exactly one counted outcome and stop the run when a failure concerns the whole app, when
 * nothing answers, or when it is cancelled.
 */
class RecallSession {
    settings;
    options;
    events;
    clock;
    ledger;
    /** What account_check said of each sender, when the preflight is on. */
    senderChecks = new Map();
    startedAt = 0;
    /** Pairs planned so far; all of them once the groups and topics are known. */
    planned;
    discovering;
    constructor(settings, options = {}) {
        this.settings = settings;
        this.options = options;
        this.events = options.events ?? {};
        this.clock = options.clock ?? systemClock;
        this.ledger = new Ledger(settings.connection, this.events, this.clock);
        this.discovering = settings.discover !== undefined;
        this.planned = settings.scopes.length * settings.senders.length;
    }
    get progress() {
        return {
            ...this.ledger.tally,
            done: this.ledger.done,
            ...(this.discovering ? {} : { total: this.planned }),
            elapsedMs: this.clock.now() - this.startedAt,
        };
    }
    /** Stops starting calls; calls in flight may finish within `graceMs`, then are cut. */
    cancel(graceMs = CANCEL_GRACE_MS) {
        this.ledger.cancel(graceMs);
    }
    async run() {
        this.startedAt = this.clock.now();
        this.settings.warnings.forEach((warning) => this.events.warning?.(warning));
        const archive = this.openArchive();
        const client = this.options.client ?? this.ownClient();
        let summary;
        try {
            const pool = new WorkPool(client);
            const ctx = { client, ledger: this.ledger, pool, settings: this.settings, ...(archive && { archive }) };
            const strategy = strategyFor(ctx);
            if (this.settings.preflight && !this.ledger.stopped.aborted) {
                this.senderChecks = await checkSenders(client, this.settings.senders, this.ledger.signals);
                this.refuseUnreachableSenders();
            }
            await this.startEach(targetsOf(this.settings, client, this.ledger, this.events), ctx, strategy);
            await pool.drain();
        }
        finally {
            summary = this.ledger.close();
            if (!this.options.client)
                client.close();
            archive?.close();
        }
        return archive ? { ...summary, archivedMessages: archive.count, archiveFile: archive.path } : summary;
    }
    /**
     * Groups found only by membership never include a sender that is not an account (a deleted one has
     * no memberships left): nothing of it would be recalled, so the run is refused before it starts.
     */
    refuseUnreachableSenders() {
        const { discover } = this.settings;
        if (!discover?.joined || discover.groups === "all" || discover.groups.length > 0)
            return;
        const unreachable = this.settings.senders.filter((s) => this.senderChecks.get(s) === "not-account");
        if (unreachable.length === 0)
            return;
        const names = unreachable.slice(0, 10).map((s) => quote(s));
        const [are, them] = unreachable.length > 1 ? ["are not accounts", "them"] : ["is not an account", "it"];
        this.ledger.stop({
            reason: "refused",
            message: `${names.join(", ")} ${are} of this app (never made, or deleted), so no group lists ${them} as a member. Nothing was recalled: name the groups with group (or group "*"), or check the sender IDs.`,
        });
    }
    /** The archive, when asked for and something is to be recalled; a file that cannot be opened stops the run first. */
    openArchive() {
        const { archive, dryRun } = this.settings;
        if (!archive || dryRun)
            return undefined;
        try {
            return Archive.open(archive);
        }
        catch (error) {
            this.ledger.stop({
                reason: "refused",
                message: `The archive file ${quote(archive, 1000)} could not be opened (${error.message}), so nothing was recalled: give a path that can be written.`,
            });
            return undefined;
        }
    }
    ownClient() {
        const { secrets, userSigLifetimeSeconds } = this.options;
        return new ChatClient({
            ...this.settings.connection,
            ...(secrets ? { secrets } : {}),
            ...(this.events.retry ? { onRetry: this.events.retry } : {}),
            ...(userSigLifetimeSeconds ? { userSigLifetimeSeconds } : {}),
            clock: this.clock,
        });
    }
    /** Starts the strategy on each target as it is found; a failure to find them stops the run. */
    async startEach(targets, ctx, strategy) {
        try {
            for await (const target of targets) {
                if (this.discovering)
                    this.planned += (target.senders ?? this.settings.senders).length;
                await this.start(target, ctx, strategy);
            }
            this.discovering = false;
        }
        catch (error) {
            if (!(error instanceof ChatApiError))
                throw error;
            this.ledger.stop(stopCauseOf(error, { noAnswer: 0, onlyRateLimitedMs: 0 }, this.settings.connection) ?? {
                reason: "listing",
                code: error.code,
                message: `Finding the groups and topics failed, so the rest of them were not recalled: ${error.message}`,
            });
        }
    }
    /** Starts the work of one group or topic, or ends its pairs at once when there is nothing to call. */
    async start({ scope, lookup, senders }, ctx, strategy) {
        const pairs = (senders ?? this.settings.senders).map((sender) => ({ ...scope, sender }));
        if (lookup && !lookup.found)
            return pairs.forEach((pair) => this.ledger.recordFailure(pair, lookup.error));
        if (lookup?.type === AV_CHAT_ROOM) {
            this.events.warning?.(`Group ${scope.group} is an AVChatRoom: it keeps no history, so there is nothing to recall; its ${pairs.length} pair(s) are skipped.`);
            const detail = { code: 0, info: "AVChatRoom keeps no history; nothing to recall", fromServer: false };
            return pairs.forEach((pair) => this.ledger.record({ result: resultOf(pair, "skipped", detail) }));
        }
        const accounts = [];
        const unknown = [];
        for (const pair of pairs) {
            const check = this.senderChecks.get(pair.sender) ?? "account";
            if (check instanceof ChatApiError)
                this.ledger.recordFailure(pair, check);
            else
                (check === "account" ? accounts : unknown).push(pair);
        }
        if (unknown.length > 0)
            await startUnknownSenders(ctx, strategy, scope, unknown);
        if (accounts.length > 0)
            await strategy.start(scope, accounts);
    }
}

;// CONCATENATED MODULE: ./src/recall/secret-settings.ts


/**
 * The run's secrets: every secret setting that any source gives, in every form it may take, each
 * announced to `onSecret` (to mask it) before anything is logged or any setting is checked.
 */
function secretsOf(sources, onSecret) {
    const secrets = new Secrets(onSecret);
    for (const spec of SETTINGS.filter((s) => s.secret)) {
        for (const source of sources) {
            for (const value of source.get(spec)?.values ?? []) {
                if (spec.name === "user-sig")
                    secrets.addUserSig(value.trim());
                else
                    secrets.addSecretKey(value.trim());
            }
        }
    }
    return secrets;
}

;// CONCATENATED MODULE: ./src/action/causes.ts

/** Distinct causes kept at most; failures past them are counted together. */
const MAX_CAUSES = 1000;
/** Pairs named for each cause. */
const EXAMPLES = 3;
/**
 * The run's failures grouped by cause, so that one missing group with ten senders is said once,
 * with its count, and GitHub's few visible annotations go to distinct causes. A failure that
 * concerns the whole app is left out: the stop says it once.
 */
class FailureCauses {
    causes = new Map();
    others = 0;
    add({ result, message, appWide }) {
        if (result.outcome !== "failed" || appWide)
            return;
        const key = `${result.errorCode} ${result.errorInfo}`;
        const cause = this.causes.get(key);
        if (cause) {
            cause.pairs++;
            if (cause.examples.length < EXAMPLES)
                cause.examples.push(describePair(result));
        }
        else if (this.causes.size < MAX_CAUSES) {
            this.causes.set(key, { message: message, pairs: 1, examples: [describePair(result)] });
        }
        else
            this.others++;
    }
    /** The causes, most pairs first. */
    list() {
        return [...this.causes.values()].sort((a, b) => b.pairs - a.pairs);
    }
    /** Failures past the causes kept. */
    get uncounted() {
        return this.others;
    }
}
/** A cause in one line: the first failure, and how many more pairs failed the same way. */
function describeCause(cause) {
    if (cause.pairs === 1)
        return cause.message;
    const more = cause.pairs - cause.examples.length;
    return `${cause.message} (${cause.pairs} pairs failed this way: ${cause.examples.join("; ")}${more > 0 ? `; and ${more} more` : ""})`;
}

;// CONCATENATED MODULE: ./src/action/markdown.ts
/**
 * Text from outside (IDs, server answers) as a Markdown code span: no link, image, heading,
 * emphasis or HTML can come of it.
 */
function codeSpan(text) {
    const flat = text.replace(/[\r\n]+/g, " ");
    if (flat.trim() === "")
        return "";
    const longestRun = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
    const fence = "`".repeat(longestRun + 1);
    return `${fence} ${flat} ${fence}`;
}
/** A code span in a table cell: pipes stay escaped inside the span, as GitHub's table extension requires. */
function code(text) {
    return codeSpan(text.replace(/\|/g, "\\|"));
}
function tableRow(cells) {
    return `| ${cells.join(" | ")} |\n`;
}

;// CONCATENATED MODULE: ./src/action/report.ts




/** GitHub caps a step's outputs at 1 MB in all; `results` keeps below this (in bytes) to leave room for the rest. */
const RESULTS_OUTPUT_LIMIT = 900_000;
/** Room kept for the closing `truncated` entry. */
const TRUNCATION_MARKER_ROOM = 1024;
/** GitHub caps a step summary at 1 MiB; the rows keep below this many bytes. */
const SUMMARY_ROWS_LIMIT = 800_000;
/** Results are written to their file in chunks of about this many characters. */
const RESULTS_FLUSH_CHARS = 64 * 1024;
const OUTCOME_CELLS = {
    recalled: "✅ recalled",
    "dry-run": "🔍 dry run",
    skipped: "⏭️ skipped",
    failed: "❌ failed",
    "not-attempted": "⛔ not attempted",
};
/**
 * The results file, JSON Lines, written in chunks with plain writes: a write stream would load
 * Node's whole stream and file-handle machinery into every step's start-up.
 */
class ResultsFile {
    path;
    fd;
    warn;
    pending = "";
    broken = false;
    constructor(path, fd, warn) {
        this.path = path;
        this.fd = fd;
        this.warn = warn;
    }
    /** Creates the file in the first directory that takes it (RUNNER_TEMP, then the system's temporary directory). */
    static create(warn) {
        const name = `tencent-chat-recall-${process.pid}-${Date.now()}.jsonl`;
        const dirs = [process.env.RUNNER_TEMP, (0,external_node_os_namespaceObject.tmpdir)()].filter((d) => Boolean(d));
        for (const dir of [...new Set(dirs)]) {
            const path = (0,external_node_path_namespaceObject.join)(dir, name);
            try {
                return new ResultsFile(path, (0,external_node_fs_namespaceObject.openSync)(path, "wx"), warn);
            }
            catch {
                // try the next directory
            }
        }
        warn(`No results file was written: neither RUNNER_TEMP nor ${(0,external_node_os_namespaceObject.tmpdir)()} could be written to.`);
        return undefined;
    }
    write(line) {
        this.pending += line;
        if (this.pending.length >= RESULTS_FLUSH_CHARS)
            this.flush();
    }
    close() {
        this.flush();
        (0,external_node_fs_namespaceObject.closeSync)(this.fd);
    }
    flush() {
        if (!this.broken && this.pending) {
            try {
                (0,external_node_fs_namespaceObject.appendFileSync)(this.fd, this.pending);
            }
            catch (error) {
                this.broken = true;
                this.warn(`The results file ${this.path} could not be written: ${error.message}`);
            }
        }
        this.pending = "";
    }
}
/** Above this many rows, the table is folded in a `<details>` block. */
const FOLD_ROWS = 20;
/** Causes listed in the summary at most. */
const LISTED_CAUSES = 20;
/**
 * Takes results as they complete: writes each to the results file (JSON Lines), keeps the
 * `results` output within GitHub's size limit, and keeps the summary's rows (within its size limit)
 * until the end, when the summary is written verdict first, then the failures by cause, then the
 * rows.
 */
class ResultReport {
    heading;
    warn;
    resultsFile;
    file;
    resultsJson = "";
    resultsBytes = 0;
    resultsOmitted = 0;
    rows = [];
    rowBytes = 0;
    rowsOmitted = 0;
    constructor(heading, warn) {
        this.heading = heading;
        this.warn = warn;
        this.file = ResultsFile.create(warn);
        this.resultsFile = this.file?.path ?? "";
    }
    add(result) {
        const json = JSON.stringify(result);
        this.file?.write(json + "\n");
        const jsonBytes = Buffer.byteLength(json) + 1;
        if (!this.resultsOmitted &&
            this.resultsBytes + jsonBytes + TRUNCATION_MARKER_ROOM < RESULTS_OUTPUT_LIMIT) {
            this.resultsJson += (this.resultsJson ? "," : "") + json;
            this.resultsBytes += jsonBytes;
        }
        else {
            this.resultsOmitted++;
        }
        // What a row costs, about: its JSON is a fair measure of the Markdown it becomes.
        if (!this.rowsOmitted && this.rowBytes + jsonBytes < SUMMARY_ROWS_LIMIT) {
            this.rowBytes += jsonBytes;
            this.rows.push(result);
        }
        else {
            this.rowsOmitted++;
        }
    }
    /** The `results` output: every result, or as many as fit followed by a `truncated` marker. */
    resultsOutput() {
        const marker = this.resultsOmitted
            ? `${this.resultsJson ? "," : ""}${JSON.stringify({ truncated: true, omitted: this.resultsOmitted, resultsFile: this.resultsFile })}`
            : "";
        return `[${this.resultsJson}${marker}]`;
    }
    /** Writes the summary, verdict first, and closes the results file. */
    finish(verdict) {
        this.appendSummary(`## Tencent Cloud Chat recall\n\n${verdict.markdown}\n\n${this.heading}\n\n${causesMarkdown(verdict.causes)}${this.tableMarkdown()}`);
        this.file?.close();
    }
    tableMarkdown() {
        if (this.rows.length === 0)
            return "";
        const topics = this.rows.some((r) => r.topic !== null);
        const reads = this.rows.some((r) => r.reads > 0);
        const columns = [
            "group",
            ...(topics ? ["topic"] : []),
            "sender",
            "outcome",
            "ErrorCode",
            "ErrorInfo",
            "messages",
            "attempts",
            ...(reads ? ["reads"] : []),
        ];
        const rows = this.rows.map((r) => tableRow([
            code(r.group),
            ...(topics ? [code(r.topic ?? "")] : []),
            code(r.sender),
            OUTCOME_CELLS[r.outcome],
            r.actionStatus === "FAIL" ? String(r.errorCode) : "",
            code(r.errorInfo),
            r.messages === null ? "" : String(r.messages),
            String(r.attempts),
            ...(reads ? [String(r.reads)] : []),
        ]));
        const table = tableRow(columns) + tableRow(columns.map(() => "---")) + rows.join("");
        const omitted = this.rowsOmitted
            ? `\n${this.rowsOmitted} more row(s) left out to fit GitHub's summary size limit; every result is in the file named by the \`results-file\` output.\n`
            : "";
        const body = `${table}${omitted}`;
        const heading = `Every pair (${this.rows.length + this.rowsOmitted})`;
        if (this.rows.length <= FOLD_ROWS)
            return `### ${heading}\n\n${body}`;
        return `### Every pair\n\n<details><summary>${heading}</summary>\n\n${body}\n</details>\n`;
    }
    appendSummary(markdown) {
        const path = process.env.GITHUB_STEP_SUMMARY;
        if (!path)
            return;
        try {
            (0,external_node_fs_namespaceObject.appendFileSync)(path, markdown);
        }
        catch (error) {
            this.warn(`The job summary could not be written: ${error.message}`);
        }
    }
}
/** The failures, a row per cause with how many pairs it failed, most first. */
function causesMarkdown(causes) {
    if (causes.length === 0)
        return "";
    const rows = causes
        .slice(0, LISTED_CAUSES)
        .map((c) => tableRow([String(c.pairs), code(c.message), code(c.examples.join("; "))]));
    const more = causes.length > LISTED_CAUSES
        ? `\n${causes.length - LISTED_CAUSES} more cause(s) in the table below.\n`
        : "";
    return `### Failures by cause\n\n${tableRow(["pairs", "first failure", "pairs it failed"])}${tableRow(["---", "---", "---"])}${rows.join("")}${more}\n`;
}

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/command.js
var command = __nccwpck_require__(914);
// EXTERNAL MODULE: ./node_modules/@actions/core/lib/file-command.js
var file_command = __nccwpck_require__(753);
;// CONCATENATED MODULE: ./src/action/runner.ts



/*
 * Everything the Action says to the runner goes through here. The runner reads workflow commands
 * from any line that starts with "::" (after white space) and from "##[" anywhere in a line, on
 * stdout and stderr alike; text from outside (server answers, IDs from inputs, exception messages)
 * must never become one. Only @actions/core's command modules are loaded, not the whole toolkit.
 */
/** Longest message a log line or annotation carries. */
const MAX_MESSAGE_CHARS = 4000;
/** White space the runner trims before looking for "::" (.NET's, which includes U+0085). */
const LEADING_SPACE = /^[\s\u0085]*/;
function bounded(text) {
    return text.length > MAX_MESSAGE_CHARS ? `${text.slice(0, MAX_MESSAGE_CHARS)}…` : text;
}
/** The legacy "##[command]" form is found anywhere in a line: break it wherever it appears. */
function withoutLegacyCommands(text) {
    return text.replace(/##\[/g, "##%5B");
}
/**
 * A log line that the runner shows as it is and never reads as a command. The runner decodes
 * nothing in a plain line, so only what it would read as a command is changed: line breaks
 * (shown as %0D and %0A, which no line can start a command with), "::" at the start and "##[".
 * A % stays as it is.
 */
function logLine(text) {
    const line = withoutLegacyCommands(bounded(text).replace(/\r/g, "%0D").replace(/\n/g, "%0A"));
    const lead = LEADING_SPACE.exec(line)[0];
    return line.startsWith("::", lead.length) ? `${lead}%3A${line.slice(lead.length + 1)}` : line;
}
function info(text) {
    process.stdout.write(logLine(text) + external_node_os_namespaceObject.EOL);
}
/** An annotation; the toolkit encodes CR, LF and % in its data, as the runner decodes them. */
function annotate(kind, text, title) {
    (0,command.issueCommand)(kind, title ? { title: withoutLegacyCommands(title) } : {}, withoutLegacyCommands(bounded(text)));
}
function debug(text) {
    (0,command.issueCommand)("debug", {}, withoutLegacyCommands(bounded(text)));
}
function mask(secret) {
    (0,command.issueCommand)("add-mask", {}, secret);
}
function startGroup(title) {
    (0,command.issueCommand)("group", {}, withoutLegacyCommands(bounded(title)));
}
function endGroup() {
    (0,command.issueCommand)("endgroup", {}, "");
}
function getInput(name) {
    return (process.env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] ?? "").trim();
}
/** Sets an output; throws when the file GITHUB_OUTPUT names cannot be written. */
function setOutput(name, value) {
    if (process.env.GITHUB_OUTPUT)
        (0,file_command.issueFileCommand)("OUTPUT", (0,file_command.prepareKeyValueMessage)(name, value));
    else
        (0,command.issueCommand)("set-output", { name }, String(value));
}
/** Fails the step with one error annotation. */
function fail(text) {
    process.exitCode = 1;
    annotate("error", text);
}

;// CONCATENATED MODULE: ./src/action/step-log.ts

/**
 * The step's log: each pair's line goes into a collapsed group, closed whenever a line of the run's
 * own (the plan, progress, the outcome) is written, so a log of 20,000 pairs stays readable.
 * Failures are annotations besides, visible whether their group is open or not.
 */
class StepLog {
    grouped = false;
    pair(text) {
        if (!this.grouped)
            startGroup("Pairs");
        this.grouped = true;
        info(text);
    }
    line(text) {
        this.close();
        info(text);
    }
    close() {
        if (this.grouped)
            endGroup();
        this.grouped = false;
    }
}

;// CONCATENATED MODULE: ./src/action/main.ts














const FAILURE_TITLE = "Tencent Cloud Chat recall failed";
/** GitHub shows this many error annotations of a step; later failures are logged as lines. */
const MAX_FAILURE_ANNOTATIONS = 10;
/** A progress line this often, so a long run shows it is alive. */
const PROGRESS_INTERVAL_MS = 5000;
function inputSource() {
    return { get: (spec) => ({ values: [getInput(spec.name)] }), label: (spec) => `Input "${spec.name}"` };
}
/** Logs each result, a line each; failures are annotated at the end, once per cause. */
function resultRenderer(log) {
    return ({ result, message }) => {
        const counted = result.messages === null ? "" : `, ${result.messages} message(s)`;
        const nothing = hadNothing(result) ? `: ${NOTHING_TO_RECALL}` : "";
        if (result.outcome === "recalled")
            log.pair(`OK   ${describePair(result)} (${result.attempts} attempt(s)${counted})${nothing}`);
        if (result.outcome === "dry-run")
            log.pair(`DRY  ${describePair(result)}${nothing || `: ${result.messages} message(s) to recall`}`);
        if (result.outcome === "failed")
            log.pair(`FAIL ${message}`);
    };
}
/** Annotates the failures, once per cause, the causes that failed most pairs first, as many as GitHub shows. */
function annotateCauses(causes, log) {
    const all = causes.list();
    for (const cause of all.slice(0, MAX_FAILURE_ANNOTATIONS))
        annotate("error", describeCause(cause), FAILURE_TITLE);
    const more = all.length - MAX_FAILURE_ANNOTATIONS + causes.uncounted;
    if (more > 0)
        log.line(`${more} more cause(s) of failure are in the log above, the job summary and the results.`);
}
/** How the run ended, for the top of the job summary: the verdict, then what it did and how fast. */
function verdictMarkdown(summary, settings, progress, causes) {
    const outcome = describeOutcome(summary, settings);
    const seconds = progress.elapsedMs / 1000;
    const lines = [
        `### ${runFailed(summary) ? "❌" : "✅"} ${outcome}`,
        ...(summary.stopCause ? [`Stopped early: ${codeSpan(summary.stopCause.message)}`] : []),
        // The failures by cause follow; without them (a stop), the first failure is said here.
        ...(summary.firstFailure && causes.list().length === 0
            ? [`First failure: ${codeSpan(summary.firstFailure.message)}`]
            : []),
        ...(summary.archiveFile ? [`Archive: ${codeSpan(summary.archiveFile)}`] : []),
        `Took ${describeDuration(seconds)}${seconds > 0 ? `, ${(progress.done / seconds).toFixed(1)} pairs/s` : ""}.`,
    ];
    return lines.join("\n\n");
}
/** Sets the outputs; when they cannot be written, why (the first failure), else undefined. */
function writeOutputs(summary, settings, report) {
    try {
        setOutputs(summary, settings, report);
        return undefined;
    }
    catch (error) {
        return error instanceof Error ? error.message : String(error);
    }
}
/** A count the run made, or empty when it did not count it: never a 0 that was not counted. */
function counted(count, made) {
    return made && count !== undefined ? count : "";
}
function setOutputs(summary, settings, report) {
    const { dryRun, verify } = settings;
    const first = summary.firstFailure?.result;
    const { stopCause } = summary;
    setOutput("action-status", runFailed(summary) ? "FAIL" : "OK");
    setOutput("error-code", first?.errorCode ?? stopCause?.code ?? 0);
    setOutput("error-info", first?.errorInfo ?? stopCause?.message ?? "");
    setOutput("succeeded", summary.recalled);
    setOutput("failed", summary.failed);
    setOutput("skipped", summary.skipped);
    setOutput("not-attempted", summary.notAttempted);
    setOutput("matched-messages", counted(summary.matchedMessages, dryRun));
    setOutput("recalled-messages", counted(summary.recalledMessages, !dryRun && (verify || recallsBySeq(settings))));
    setOutput("remaining-messages", counted(summary.remainingMessages, !dryRun && verify));
    setOutput("archived-messages", counted(summary.archivedMessages, summary.archiveFile !== undefined));
    setOutput("archive-file", summary.archiveFile ?? "");
    setOutput("results", report.resultsOutput());
    setOutput("results-file", report.resultsFile);
}
/** The Action: inputs → one recall session → log, annotations, outputs, summary and exit code. */
async function run() {
    const inputs = [inputSource()];
    const secrets = secretsOf(inputs, mask);
    const log = new StepLog();
    const crash = (error) => {
        log.close();
        fail(`Unexpected failure: ${secrets.redact(error instanceof Error ? error.message : String(error))}`);
    };
    // What is left running after an error nobody caught could hold the step open: end it.
    const crashOut = (error) => {
        crash(error);
        process.exit();
    };
    process.on("uncaughtException", crashOut);
    process.on("unhandledRejection", crashOut);
    try {
        const settings = resolveSettings(inputs, {
            baseDirectory: process.env.GITHUB_WORKSPACE || process.cwd(),
            baseDirectoryName: "the workspace",
            defaultArchive: (0,external_node_path_namespaceObject.join)(process.env.RUNNER_TEMP || (0,external_node_os_namespaceObject.tmpdir)(), `tencent-chat-recall-${process.pid}-archive.jsonl`),
        });
        const warn = (message) => annotate("warning", secrets.redact(message));
        const render = resultRenderer(log);
        const causes = new FailureCauses();
        const session = new RecallSession(settings, {
            secrets,
            events: {
                result: (event) => {
                    report.add(event.result);
                    causes.add(event);
                    render(event);
                },
                retry: (e) => debug(describeRetry(e)),
                warning: warn,
                notice: (message) => log.line(message),
                stopped: (cause) => annotate("error", cause.message, "Tencent Cloud Chat recall stopped"),
            },
        });
        const plan = describePlan(settings);
        const report = new ResultReport(plan, warn);
        process.once("SIGINT", () => session.cancel());
        process.once("SIGTERM", () => session.cancel(0));
        log.line(plan);
        const progress = setInterval(() => log.line(describeProgress(session.progress)), PROGRESS_INTERVAL_MS);
        const summary = await session.run().finally(() => clearInterval(progress));
        const end = describeEnd(summary, settings);
        log.line(end);
        annotateCauses(causes, log);
        if (summary.archiveFile)
            log.line(`Archive: ${summary.archiveFile}`);
        const unwritten = writeOutputs(summary, settings, report);
        if (unwritten) {
            // The recall is done, but the workflow cannot see how it went: say so, and where the results are.
            const results = report.resultsFile
                ? `the results are in ${report.resultsFile}`
                : "no results file could be written either; the results are in this log and the job summary";
            fail(secrets.redact(`The recall ended: ${end} But its outputs could not be written to GITHUB_OUTPUT (${process.env.GITHUB_OUTPUT ?? ""}): ${unwritten}. The workflow cannot read them, so the step fails; ${results}.`));
        }
        const verdict = verdictMarkdown(summary, settings, session.progress, causes) +
            (unwritten
                ? `\n\n**The step's outputs could not be written** (GITHUB_OUTPUT: ${codeSpan(secrets.redact(unwritten))}), so the step failed${report.resultsFile ? `; the results are in ${codeSpan(report.resultsFile)}` : ""}.`
                : "");
        report.finish({ markdown: verdict, causes: causes.list() });
        if (runFailed(summary))
            process.exitCode = 1;
    }
    catch (error) {
        log.close();
        if (error instanceof InputError)
            fail(secrets.redact(error.message));
        else
            crash(error);
    }
}


/***/ }),

/***/ 982:
/***/ ((module) => {

"use strict";
module.exports = require("crypto");

/***/ }),

/***/ 896:
/***/ ((module) => {

"use strict";
module.exports = require("fs");

/***/ }),

/***/ 708:
/***/ ((module) => {

"use strict";
module.exports = require("node:https");

/***/ }),

/***/ 857:
/***/ ((module) => {

"use strict";
module.exports = require("os");

/***/ })

/******/ 	});
/************************************************************************/
/******/ 	// The module cache
/******/ 	var __webpack_module_cache__ = {};
/******/ 	
/******/ 	// The require function
/******/ 	function __nccwpck_require__(moduleId) {
/******/ 		// Check if module is in cache
/******/ 		var cachedModule = __webpack_module_cache__[moduleId];
/******/ 		if (cachedModule !== undefined) {
/******/ 			return cachedModule.exports;
/******/ 		}
/******/ 		// Create a new module (and put it into the cache)
/******/ 		var module = __webpack_module_cache__[moduleId] = {
/******/ 			// no module.id needed
/******/ 			// no module.loaded needed
/******/ 			exports: {}
/******/ 		};
/******/ 	
/******/ 		// Execute the module function
/******/ 		var threw = true;
/******/ 		try {
/******/ 			__webpack_modules__[moduleId].call(module.exports, module, module.exports, __nccwpck_require__);
/******/ 			threw = false;
/******/ 		} finally {
/******/ 			if(threw) delete __webpack_module_cache__[moduleId];
/******/ 		}
/******/ 	
/******/ 		// Return the exports of the module
/******/ 		return module.exports;
/******/ 	}
/******/ 	
/************************************************************************/
/******/ 	/* webpack/runtime/create fake namespace object */
/******/ 	(() => {
/******/ 		var getProto = Object.getPrototypeOf ? (obj) => (Object.getPrototypeOf(obj)) : (obj) => (obj.__proto__);
/******/ 		var leafPrototypes;
/******/ 		// create a fake namespace object
/******/ 		// mode & 1: value is a module id, require it
/******/ 		// mode & 2: merge all properties of value into the ns
/******/ 		// mode & 4: return value when already ns object
/******/ 		// mode & 16: return value when it's Promise-like
/******/ 		// mode & 8|1: behave like require
/******/ 		__nccwpck_require__.t = function(value, mode) {
/******/ 			if(mode & 1) value = this(value);
/******/ 			if(mode & 8) return value;
/******/ 			if(typeof value === 'object' && value) {
/******/ 				if((mode & 4) && value.__esModule) return value;
/******/ 				if((mode & 16) && typeof value.then === 'function') return value;
/******/ 			}
/******/ 			var ns = Object.create(null);
/******/ 			__nccwpck_require__.r(ns);
/******/ 			var def = {};
/******/ 			leafPrototypes = leafPrototypes || [null, getProto({}), getProto([]), getProto(getProto)];
/******/ 			for(var current = mode & 2 && value; typeof current == 'object' && !~leafPrototypes.indexOf(current); current = getProto(current)) {
/******/ 				Object.getOwnPropertyNames(current).forEach((key) => (def[key] = () => (value[key])));
/******/ 			}
/******/ 			def['default'] = () => (value);
/******/ 			__nccwpck_require__.d(ns, def);
/******/ 			return ns;
/******/ 		};
/******/ 	})();
/******/ 	
/******/ 	/* webpack/runtime/define property getters */
/******/ 	(() => {
/******/ 		// define getter functions for harmony exports
/******/ 		__nccwpck_require__.d = (exports, definition) => {
/******/ 			for(var key in definition) {
/******/ 				if(__nccwpck_require__.o(definition, key) && !__nccwpck_require__.o(exports, key)) {
/******/ 					Object.defineProperty(exports, key, { enumerable: true, get: definition[key] });
/******/ 				}
/******/ 			}
/******/ 		};
/******/ 	})();
/******/ 	
/******/ 	/* webpack/runtime/hasOwnProperty shorthand */
/******/ 	(() => {
/******/ 		__nccwpck_require__.o = (obj, prop) => (Object.prototype.hasOwnProperty.call(obj, prop))
/******/ 	})();
/******/ 	
/******/ 	/* webpack/runtime/make namespace object */
/******/ 	(() => {
/******/ 		// define __esModule on exports
/******/ 		__nccwpck_require__.r = (exports) => {
/******/ 			if(typeof Symbol !== 'undefined' && Symbol.toStringTag) {
/******/ 				Object.defineProperty(exports, Symbol.toStringTag, { value: 'Module' });
/******/ 			}
/******/ 			Object.defineProperty(exports, '__esModule', { value: true });
/******/ 		};
/******/ 	})();
/******/ 	
/******/ 	/* webpack/runtime/compat */
/******/ 	
/******/ 	if (typeof __nccwpck_require__ !== 'undefined') __nccwpck_require__.ab = __dirname + "/";
/******/ 	
/************************************************************************/
var __webpack_exports__ = {};
// The Action's entry point. It is CommonJS so that Node starts it without its ES module loader,
// which costs a fresh runner several milliseconds on every step.
(__nccwpck_require__(967)/* .run */ .e)();

module.exports = __webpack_exports__;
/******/ })()
;