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

// One department asking another for help: capture, triage, brief your manager or the
// department head with the request's own urgency.
constexpr std::string_view internal_escalation_xml = R"xml(<tree format="1" id="new-tree" title="Internal escalation" start="request">
  <description>A colleague from another department needs something from your team. Write the request down, decide whether your team can do it, and if not, brief your manager, or the department head when your manager could not settle it. The hand-off has the request's urgency; one that already went past your manager is at least normal.</description>
  <variables>
    <variable name="requester" type="text" label="Requester"/>
    <variable name="department" type="text" label="Requesting department"/>
    <variable name="need" type="text" label="What they need"/>
    <variable name="deadline" type="text" label="Needed by"/>
    <variable name="urgency" type="choice" options="low normal urgent" default="normal" label="Urgency"/>
    <variable name="tried" type="text" label="Already tried or offered"/>
    <variable name="manager_answer" type="text" label="The team manager's answer"/>
    <variable name="owner" type="text" label="Owner"/>
    <variable name="due" type="text" label="Promised date"/>
  </variables>
  <form id="request" title="The request" to="can-we">
    <text>Write down who is asking and what they need, in their words.</text>
    <field var="requester" label="Requester (name)" required="true"/>
    <field var="department" label="Requesting department" required="true" placeholder="e.g. Billing"/>
    <field var="need" label="What they need" required="true"/>
    <field var="deadline" label="Needed by" required="true" pattern="[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])" placeholder="YYYY-MM-DD"/>
    <field var="urgency" label="Urgency (low, normal or urgent)" required="true"/>
  </form>
  <question id="can-we" title="Can your team do it?">
    <text>Can your team handle "{need}" for {requester} ({department}) by {deadline}?</text>
    <choice to="accept">Yes</choice>
    <choice to="level">No, or not in time</choice>
  </question>
  <form id="accept" title="Owner and date" to="accepted">
    <text>Name **one** owner on your team and the date you promise.</text>
    <field var="owner" label="Owner (name)" required="true"/>
    <field var="due" label="Promised date" required="true" pattern="[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])" placeholder="YYYY-MM-DD"/>
  </form>
  <end id="accepted" title="Accepted" outcome="accepted">
    <text>Confirm to {requester} ({department}) in writing: "{need}" is owned by {owner}, due {due}.</text>
  </end>
  <question id="level" title="Your manager, or beyond?">
    <text>Has your manager already had this request?</text>
    <choice to="brief">No: take it to your manager</choice>
    <choice to="brief-head">Yes, and they could not settle it within a day: take it to the department head</choice>
  </question>
  <form id="brief" title="Brief your manager" to="manager-route">
    <text>Your manager reads the hand-off without you: write what your team already tried or offered.</text>
    <field var="tried" label="Already tried or offered" required="true"/>
  </form>
  <logic id="manager-route" title="How urgent?">
    <branch if="urgency == 'urgent'" to="manager-urgent"/>
    <branch if="urgency == 'low'" to="manager-low"/>
    <otherwise to="manager"/>
  </logic>
  <escalate id="manager-urgent" title="Your manager (urgent)" team="Team Manager" priority="urgent">
    <text>
      {requester} ({department}) needs: {need}
      - **Needed by:** {deadline}
      - **Urgency:** {urgency}
      - **Already tried or offered:** {tried}

      Our team cannot do it in time. Please decide who does it, or agree a new date with {department}.
    </text>
    <hint>If your manager cannot settle it within a day, run this script again and take it to the department head.</hint>
  </escalate>
  <escalate id="manager" title="Your manager" team="Team Manager" priority="normal">
    <text>
      {requester} ({department}) needs: {need}
      - **Needed by:** {deadline}
      - **Urgency:** {urgency}
      - **Already tried or offered:** {tried}

      Our team cannot do it in time. Please decide who does it, or agree a new date with {department}.
    </text>
    <hint>If your manager cannot settle it within a day, run this script again and take it to the department head.</hint>
  </escalate>
  <escalate id="manager-low" title="Your manager (low)" team="Team Manager" priority="low">
    <text>
      {requester} ({department}) needs: {need}
      - **Needed by:** {deadline}
      - **Urgency:** {urgency}
      - **Already tried or offered:** {tried}

      Our team cannot do it in time. Please decide who does it, or agree a new date with {department}.
    </text>
    <hint>If your manager cannot settle it within a day, run this script again and take it to the department head.</hint>
  </escalate>
  <form id="brief-head" title="Brief the department head" to="head-route">
    <text>The department head reads the hand-off without you: write what was tried and what your manager said.</text>
    <field var="tried" label="Already tried or offered" required="true"/>
    <field var="manager_answer" label="What your manager said or did" required="true"/>
  </form>
  <logic id="head-route" title="How urgent?">
    <branch if="urgency == 'urgent'" to="head-urgent"/>
    <otherwise to="head"/>
  </logic>
  <escalate id="head-urgent" title="Department head (urgent)" team="Department Head" priority="urgent">
    <text>
      {requester} ({department}) needs: {need}
      - **Needed by:** {deadline}
      - **Urgency:** {urgency}
      - **Already tried or offered:** {tried}
      - **The team manager's answer:** {manager_answer}

      The team manager could not settle it within a day. Please decide who does it, or agree a new date with {department}.
    </text>
  </escalate>
  <escalate id="head" title="Department head" team="Department Head" priority="normal">
    <text>
      {requester} ({department}) needs: {need}
      - **Needed by:** {deadline}
      - **Urgency:** {urgency}
      - **Already tried or offered:** {tried}
      - **The team manager's answer:** {manager_answer}

      The team manager could not settle it within a day. Please decide who does it, or agree a new date with {department}.
    </text>
  </escalate>
</tree>
)xml";

// A supervisor checking in with an agent: wellbeing and safety first, then a break,
// support or coaching, each recorded with a follow-up and its own outcome.
constexpr std::string_view check_in_xml = R"xml(<tree format="1" id="new-tree" title="Supervisor check-in" start="how-are-you">
  <description>A short, private check-in with an agent. Listen first; ask whether they are safe when something is wrong; agree a follow-up every time. Each ending has its own outcome, so reports tell coaching, a break, support and a crisis apart.</description>
  <variables>
    <variable name="agent" type="text" label="Agent" private="true"/>
    <variable name="follow_up" type="text" label="Follow-up date"/>
    <variable name="agreed" type="text" default="nothing else" label="What you agreed" private="true"/>
    <variable name="path" type="choice" options="coaching break support" default="coaching" label="Kind of check-in"/>
    <variable name="lead_phone" type="text" label="Your number" private="true"/>
    <variable name="where" type="text" label="Where you are" private="true"/>
  </variables>
  <question id="how-are-you" title="How are you doing?">
    <text>Find a quiet moment and ask how they are doing today. Listen without interrupting.</text>
    <hint>Not in front of the team. If they do not want to talk now, offer another time.</hint>
    <choice to="coaching" set="path = 'coaching'">Fine, ready to talk about calls</choice>
    <choice to="break" set="path = 'break'">Tired or upset</choice>
    <choice to="safety" set="path = 'support'">Something serious is going on</choice>
  </question>
  <step id="break" title="Offer a break" to="after-break">
    <text>Offer a **15-minute break** off the phones now. Cover their queue yourself if needed.</text>
  </step>
  <question id="after-break" title="After the break">
    <text>Check in again after the break. How are they now?</text>
    <hint>No coaching today for someone who needed a break: it can wait for the follow-up.</hint>
    <choice to="follow-up">Better: back on calls</choice>
    <choice to="safety" set="path = 'support'">Still upset, or worse</choice>
  </question>
  <question id="safety" title="Are they safe?">
    <text>Ask directly and calmly: *"Are you having thoughts of harming yourself?"* and *"Do you feel safe at home?"* Is there any sign they are at risk?</text>
    <hint>Asking directly does not put the idea in anyone's head; it shows you take them seriously.</hint>
    <choice to="support">No</choice>
    <choice to="crisis-contact">Yes, or you are not sure</choice>
  </question>
  <step id="support" title="Offer support" to="follow-up">
    <text>Offer the employee assistance programme and, if they want it, a talk with HR. Agree what happens with the rest of the shift.</text>
    <hint>Keep what they tell you confidential, within company policy.</hint>
  </step>
  <step id="coaching" title="One thing to work on" to="follow-up">
    <text>Pick **one** call from today that went well and one thing to try next time.</text>
  </step>
  <form id="follow-up" title="Agree a follow-up" to="ending">
    <text>Agree when you will check in again, and note what you agreed: facts only.</text>
    <field var="agent" label="Agent's name" required="true"/>
    <field var="follow_up" label="Follow-up date" required="true" pattern="[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])" placeholder="YYYY-MM-DD"/>
    <field var="agreed" label="What you agreed (optional)" placeholder="e.g. off the queue until 15:00"/>
  </form>
  <logic id="ending" title="Which check-in?">
    <branch if="path == 'support'" to="support-offered"/>
    <branch if="path == 'break'" to="break-taken"/>
    <otherwise to="coached"/>
  </logic>
  <form id="crisis-contact" title="Get help now" to="crisis">
    <text>Stay with them. If there is immediate danger, call the **emergency services** first. The EAP crisis line calls **you** back: give them what they need.</text>
    <field var="agent" label="Agent's name" required="true"/>
    <field var="lead_phone" label="Number EAP can call you on now" required="true" pattern="\+?[0-9][0-9 ()-]{5,19}( ?([Ee]xt\.?|x) ?[0-9]{1,6})?|([Ee]xt\.? ?)?[0-9]{3,6}" placeholder="e.g. +1 555 0100 2233 ext 4021"/>
    <field var="where" label="Where you are (site, floor, room)" required="true"/>
  </form>
  <escalate id="crisis" title="Urgent wellbeing support" team="Employee Assistance Programme" priority="urgent">
    <text>Urgent: a team lead is with {agent} now and is concerned for their safety. Call the team lead immediately on {lead_phone}. They are at: {where}.</text>
    <hint>Do not leave {agent} alone while you wait for the call.</hint>
  </escalate>
  <end id="coached" title="Coached" outcome="coached">
    <text>Note: coaching with {agent}; follow-up on {follow_up}. Agreed: {agreed}.</text>
  </end>
  <end id="break-taken" title="Break taken" outcome="break-taken">
    <text>Note: {agent} took a break and went back on calls; follow-up on {follow_up}. Agreed: {agreed}.</text>
  </end>
  <end id="support-offered" title="Support offered" outcome="support-offered">
    <text>Note: support offered to {agent}; follow-up on {follow_up}. Agreed: {agreed}.</text>
  </end>
</tree>
)xml";

constexpr starter_template templates[]{
    {"Blank", "A question with one answer that ends the call", blank_xml},
    {"Troubleshooting call", "Verify the caller, try fixes in order, escalate the rest", troubleshooting_xml},
    {"Internal escalation", "Another department needs your team: capture, triage, take it up", internal_escalation_xml},
    {"Supervisor check-in", "A private check-in with an agent having a hard day", check_in_xml},
};

}  // namespace

std::span<const starter_template> starter_templates() { return templates; }

}  // namespace signpost::editor
