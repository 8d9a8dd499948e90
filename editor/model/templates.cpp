#include "model/templates.hpp"

namespace signpost::editor {

namespace {

constexpr std::string_view blank_xml = R"(<tree format="1" id="new-tree" title="New script" start="question-1">
  <question id="question-1" title="First question">
    <text>Ask the customer what they need.</text>
    <choice to="end-1">Solved</choice>
  </question>
  <end id="end-1" title="Resolved" outcome="resolved"/>
</tree>
)";

// A customer call: verify, try the usual fixes in order, escalate what is left.
constexpr std::string_view troubleshooting_xml = R"(<tree format="1" id="new-tree" title="Troubleshooting call" start="verify">
  <description>A customer reports a problem. Confirm who they are, try the usual fixes in order, and hand the call to the next tier with the facts when nothing works.</description>
  <variables>
    <variable name="caller" type="text" label="Caller"/>
    <variable name="account" type="text" label="Account number"/>
    <variable name="attempts" type="number" default="0" label="Fixes tried"/>
  </variables>
  <form id="verify" title="Who is calling" to="symptom">
    <text>Ask for the caller's name and account number and check them against the account.</text>
    <field var="caller" label="Caller's name" required="true"/>
    <field var="account" label="Account number" required="true" pattern="[0-9]{6,10}" placeholder="6 to 10 digits"/>
  </form>
  <question id="symptom" title="What is wrong?">
    <text>Ask {caller} to describe the problem in their own words. Which fits best?</text>
    <choice to="restart">It stopped working</choice>
    <choice to="how-to">They do not know how to do something</choice>
    <choice to="tier-2">Something else</choice>
  </question>
  <step id="restart" title="Restart it" to="fixed">
    <text>Ask {caller} to switch the device off, wait **30 seconds**, and switch it on again.</text>
    <hint>Stay on the line while it restarts; it takes about two minutes.</hint>
  </step>
  <question id="fixed" title="Working now?">
    <text>Does it work now?</text>
    <choice to="resolved">Yes</choice>
    <choice to="tried" set="attempts = attempts + 1">No</choice>
  </question>
  <logic id="tried" title="Tried enough?">
    <branch if="attempts &gt;= 2" to="tier-2"/>
    <otherwise to="restart"/>
  </logic>
  <step id="how-to" title="Show them how" to="resolved">
    <text>Walk {caller} through it step by step, and send the help article by e-mail.</text>
  </step>
  <escalate id="tier-2" title="Hand off to Tier 2" team="Tier 2 Support" priority="normal">
    <text>Tell {caller} that a specialist will call back within one working day. Note what you tried ({attempts} restarts).</text>
  </escalate>
  <end id="resolved" title="Resolved" outcome="resolved">
    <text>Thank {caller} and close the call.</text>
  </end>
</tree>
)";

// One department asking another for help: capture, triage by urgency, escalate upwards.
constexpr std::string_view internal_escalation_xml = R"(<tree format="1" id="new-tree" title="Internal escalation" start="request">
  <description>A colleague from another department needs something from your team. Write the request down, decide who acts, and take it to your manager (and beyond) when it cannot wait.</description>
  <variables>
    <variable name="department" type="text" label="Requesting department"/>
    <variable name="need" type="text" label="What they need"/>
    <variable name="urgency" type="choice" options="low normal urgent" default="normal" label="Urgency"/>
  </variables>
  <form id="request" title="The request" to="route">
    <text>Write down who is asking and what they need, in their words.</text>
    <field var="department" label="Requesting department" required="true" placeholder="e.g. Billing"/>
    <field var="need" label="What they need" required="true"/>
    <field var="urgency" label="Urgency" required="true"/>
  </form>
  <logic id="route" title="How urgent?">
    <branch if="urgency == 'urgent'" to="manager"/>
    <otherwise to="can-we"/>
  </logic>
  <question id="can-we" title="Can your team do it?">
    <text>Can your team handle "{need}" for {department} this week?</text>
    <choice to="agreed">Yes</choice>
    <choice to="manager">No, or not in time</choice>
  </question>
  <escalate id="manager" title="Take it to your manager" team="Team Manager" priority="high">
    <text>Brief your manager: {department} needs "{need}" ({urgency}). Say what you already tried.</text>
    <hint>If your manager cannot settle it within a day, they take it to the department head.</hint>
  </escalate>
  <end id="agreed" title="Accepted" outcome="accepted">
    <text>Confirm the owner and the date to {department} in writing.</text>
  </end>
</tree>
)";

// A supervisor checking in with an agent: wellbeing first, then support or coaching.
constexpr std::string_view check_in_xml = R"(<tree format="1" id="new-tree" title="Supervisor check-in" start="how-are-you">
  <description>A short, private check-in with an agent. Listen first; offer a break or support before talking about calls.</description>
  <question id="how-are-you" title="How are you doing?">
    <text>Find a quiet moment and ask how they are doing today. Listen without interrupting.</text>
    <hint>Not in front of the team. If they do not want to talk now, offer another time.</hint>
    <choice to="coaching">Fine, ready to talk about calls</choice>
    <choice to="break">Tired or upset</choice>
    <choice to="support">Something serious is going on</choice>
  </question>
  <step id="break" title="Offer a break" to="after-break">
    <text>Offer a **15-minute break** off the phones now. Cover their queue yourself if needed.</text>
  </step>
  <question id="after-break" title="After the break">
    <text>Check in again after the break. Ready to go on?</text>
    <choice to="coaching">Yes</choice>
    <choice to="support">No</choice>
  </question>
  <step id="support" title="Offer support" to="done">
    <text>Offer the employee assistance programme and, if they want it, a talk with HR. Agree what happens with the rest of the shift.</text>
    <hint>Keep what they tell you confidential, within company policy.</hint>
  </step>
  <step id="coaching" title="One thing to work on" to="done">
    <text>Pick **one** call from today that went well and one thing to try next time. Agree when you will check in again.</text>
  </step>
  <end id="done" title="Checked in" outcome="checked-in"/>
</tree>
)";

constexpr starter_template templates[]{
    {"Blank", "A question with one answer that ends the call", blank_xml},
    {"Troubleshooting call", "Verify the caller, try fixes in order, escalate the rest", troubleshooting_xml},
    {"Internal escalation", "Another department needs your team: capture, triage, take it up", internal_escalation_xml},
    {"Supervisor check-in", "A private check-in with an agent having a hard day", check_in_xml},
};

}  // namespace

std::span<const starter_template> starter_templates() { return templates; }

}  // namespace signpost::editor
