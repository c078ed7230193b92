// The least any Node process can do to recall: sign a UserSig, make the one call, write one
// output. The benchmark times it beside the Action, as the floor a signed recall cannot go below.
// Usage: node minimal-recall.cjs BASE_URL SDKAPPID SECRET_KEY GROUP SENDER (GITHUB_OUTPUT set)
const crypto = require("node:crypto");
const zlib = require("node:zlib");
const http = require("node:http");
const fs = require("node:fs");

const [base, sdkAppId, secretKey, group, sender] = process.argv.slice(2);
const time = Math.floor(Date.now() / 1000);
const content = `TLS.identifier:administrator\nTLS.sdkappid:${sdkAppId}\nTLS.time:${time}\nTLS.expire:86400\n`;
const sig = crypto.createHmac("sha256", secretKey).update(content).digest("base64");
const doc = {
  "TLS.ver": "2.0",
  "TLS.identifier": "administrator",
  "TLS.sdkappid": Number(sdkAppId),
  "TLS.time": time,
  "TLS.expire": 86400,
  "TLS.sig": sig,
};
const userSig = zlib
  .deflateSync(Buffer.from(JSON.stringify(doc)))
  .toString("base64")
  .replace(/\+/g, "*")
  .replace(/\//g, "-")
  .replace(/=/g, "_");
const query = `sdkappid=${sdkAppId}&identifier=administrator&usersig=${userSig}&random=${crypto.randomInt(2 ** 32)}&contenttype=json`;
http
  .request(
    `${base}/v4/group_open_http_svc/delete_group_msg_by_sender?${query}`,
    { method: "POST" },
    (res) => {
      let body = "";
      res.on("data", (chunk) => (body += chunk));
      res.on("end", () =>
        fs.appendFileSync(
          process.env.GITHUB_OUTPUT,
          `action-status<<EOF\n${JSON.parse(body).ActionStatus}\nEOF\n`,
        ),
      );
    },
  )
  .end(JSON.stringify({ GroupId: group, Sender_Account: sender }));
