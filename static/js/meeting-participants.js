/*
 * 会議を追加・変更 in the admin: choosing the council brings up its members to
 * tick, before the meeting is saved.
 *
 * The participant rows (the inline) are the record; this only helps fill them.
 * When the council changes, every member select (the blank row Django copies
 * for 「追加」 included) is given that council's members, read from the
 * admin's own JSON endpoint (MeetingAdmin.council_members_view). A list of
 * checkboxes, one per member, adds a row for a ticked member and takes the row
 * away again when it is unticked. Without JavaScript the page works as before:
 * save once, then choose members in the rows.
 */
(function () {
  "use strict";

  var group = null;
  var panel = null;
  var councilSelect = null;
  var members = [];

  function memberSelects() {
    return Array.prototype.slice.call(group.querySelectorAll("select[data-council-members]"));
  }

  function isTemplate(row) {
    return row.classList.contains("empty-form") || row.id.indexOf("__prefix__") !== -1;
  }

  function rowOf(element) {
    return element.closest("tr");
  }

  function isRemoved(row) {
    var box = row.querySelector('input[type="checkbox"][name$="-DELETE"]');
    return Boolean(box && box.checked);
  }

  function liveRows() {
    return memberSelects()
      .map(rowOf)
      .filter(function (row) { return row && !isTemplate(row); });
  }

  function rowFor(memberId) {
    return liveRows().filter(function (row) {
      var select = row.querySelector("select[data-council-members]");
      return select.value === String(memberId) && !isRemoved(row);
    })[0];
  }

  function setOptions(select) {
    var chosen = select.value;
    while (select.options.length > 1) {
      select.remove(1);
    }
    members.forEach(function (member) {
      select.add(new Option(member.label, member.id));
    });
    select.value = members.some(function (m) { return String(m.id) === chosen; }) ? chosen : "";
  }

  function nextOrder() {
    var highest = 0;
    group.querySelectorAll('input[name$="-display_order"]').forEach(function (input) {
      if (isTemplate(rowOf(input))) {
        return;
      }
      var value = parseInt(input.value, 10);
      if (!isNaN(value) && value > highest) {
        highest = value;
      }
    });
    return highest + 10;
  }

  function addRow(memberId) {
    var add = group.querySelector(".add-row a");
    if (!add) {
      return;
    }
    add.click();
    var rows = liveRows();
    var row = rows[rows.length - 1];
    row.querySelector("select[data-council-members]").value = String(memberId);
    var order = row.querySelector('input[name$="-display_order"]');
    if (order) {
      order.value = String(nextOrder());
    }
  }

  function removeRow(row) {
    var remove = row.querySelector(".inline-deletelink");
    if (remove) {
      remove.click();  // a row added on this page: gone
      return;
    }
    var box = row.querySelector('input[type="checkbox"][name$="-DELETE"]');
    if (box) {
      box.checked = true;  // a saved row: removed on 保存
    }
  }

  function drawPanel() {
    panel.textContent = "";
    var legend = document.createElement("legend");
    legend.textContent = "この協議体の構成員から選ぶ（選ぶと下の表に行が加わります）";
    panel.appendChild(legend);
    if (!members.length) {
      var none = document.createElement("p");
      none.className = "help";
      none.textContent = councilSelect.value
        ? "この協議体には、まだ構成員が登録されていません。"
        : "協議体を選ぶと、ここにその構成員が並びます。";
      panel.appendChild(none);
      return;
    }
    var list = document.createElement("ul");
    members.forEach(function (member) {
      var item = document.createElement("li");
      var label = document.createElement("label");
      var box = document.createElement("input");
      box.type = "checkbox";
      box.value = member.id;
      box.checked = Boolean(rowFor(member.id));
      box.addEventListener("change", function () {
        var row = rowFor(member.id);
        if (box.checked && !row) {
          addRow(member.id);
        } else if (!box.checked && row) {
          removeRow(row);
        }
      });
      label.appendChild(box);
      label.appendChild(document.createTextNode(" " + member.label));
      item.appendChild(label);
      list.appendChild(item);
    });
    panel.appendChild(list);
  }

  function showMessage(text) {
    panel.textContent = "";
    var message = document.createElement("p");
    message.className = "errornote";
    message.textContent = text;
    panel.appendChild(message);
  }

  function load() {
    var council = councilSelect.value;
    var selects = memberSelects();
    if (!council) {
      members = [];
      selects.forEach(setOptions);
      drawPanel();
      return;
    }
    var url = selects[0].getAttribute("data-members-url") + "?council=" + encodeURIComponent(council);
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(function (data) {
        members = data.members;
        memberSelects().forEach(setOptions);
        drawPanel();
      })
      .catch(function () {
        showMessage("構成員を読み込めませんでした。一度保存すると、表の中から選べます。");
      });
  }

  function start() {
    group = document.getElementById("participants-group");
    councilSelect = document.getElementById("id_council");
    if (!group || !councilSelect || !memberSelects().length) {
      return;
    }
    panel = document.createElement("fieldset");
    panel.className = "module aligned meeting-member-picker";
    group.parentNode.insertBefore(panel, group);
    // The council box is a select2 autocomplete, which tells jQuery, not the DOM.
    if (window.django && window.django.jQuery) {
      window.django.jQuery(councilSelect).on("change", load);
    } else {
      councilSelect.addEventListener("change", load);
    }
    // A member chosen or a row removed by hand keeps the ticks true.
    group.addEventListener("change", function (event) {
      if (event.target.matches("select[data-council-members], input[name$='-DELETE']")) {
        drawPanel();
      }
    });
    document.addEventListener("formset:removed", drawPanel);
    load();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
